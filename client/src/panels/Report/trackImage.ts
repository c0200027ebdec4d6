/**
 * The flight's track drawn without map tiles: positions projected onto a plane around the track's centre
 * (equirectangular: exact enough across a flight's few kilometres), north up, one scale for both axes.
 */

/** Metres per degree of latitude (mean Earth radius, as the server's distances use). */
const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;
/** A hover would fill the picture with GPS noise: never show less than this much ground across. */
const MIN_SPAN_M = 60;

export interface ImageBox {
  width: number;
  height: number;
  padding: number;
}

export interface Projection {
  /** [lon, lat] to picture coordinates (y down). */
  point(lonLat: readonly [number, number]): [number, number];
  /** Picture units per metre. */
  pxPerM: number;
}

export function projection(points: readonly (readonly [number, number])[], box: ImageBox): Projection {
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const lon0 = (Math.min(...lons) + Math.max(...lons)) / 2;
  const lat0 = (Math.min(...lats) + Math.max(...lats)) / 2;
  const kx = Math.cos((lat0 * Math.PI) / 180) * M_PER_DEG;
  const spanX = Math.max(MIN_SPAN_M, (Math.max(...lons) - Math.min(...lons)) * kx);
  const spanY = Math.max(MIN_SPAN_M, (Math.max(...lats) - Math.min(...lats)) * M_PER_DEG);
  const pxPerM = Math.min((box.width - 2 * box.padding) / spanX, (box.height - 2 * box.padding) / spanY);
  const cx = box.width / 2;
  const cy = box.height / 2;
  return {
    pxPerM,
    point: ([lon, lat]) => [cx + (lon - lon0) * kx * pxPerM, cy - (lat - lat0) * M_PER_DEG * pxPerM],
  };
}

/** SVG path data of a line through the points, rounded to 0.1 picture units. */
export function pathData(points: readonly (readonly [number, number])[], p: Projection): string {
  return points.map((q, i) => {
    const [x, y] = p.point(q);
    return `${i === 0 ? "M" : "L"}${x.toFixed(1)} ${y.toFixed(1)}`;
  }).join("");
}

/** A scale bar of a round length (1, 2 or 5 × 10^n m) about a quarter of the picture wide at most. */
export function scaleBar(pxPerM: number, maxPx: number): { metres: number; px: number; label: string } {
  const target = maxPx / pxPerM;
  const power = 10 ** Math.floor(Math.log10(target));
  const metres = [5, 2, 1].map((k) => k * power).find((m) => m <= target) ?? power;
  const label = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
  return { metres, px: metres * pxPerM, label };
}

/**
 * Where to draw each mark's label: on its point, unless an earlier label is closer than `gap` (take-off and
 * landing at the same spot); then moved round the point until clear, to be joined to it by a leader line.
 */
export function labelPositions(points: readonly (readonly [number, number])[], gap: number): [number, number][] {
  const placed: [number, number][] = [];
  const clear = (x: number, y: number) => placed.every(([px, py]) => Math.hypot(px - x, py - y) >= gap);
  for (const [x, y] of points) {
    let at: [number, number] = [x, y];
    for (let i = 0; i < 16 && !clear(at[0], at[1]); i++) {
      // Eight directions, starting up and right, then twice as far.
      const angle = -Math.PI / 4 + (i % 8) * (Math.PI / 4);
      const r = gap * 1.4 * (1 + Math.floor(i / 8));
      at = [x + r * Math.cos(angle), y + r * Math.sin(angle)];
    }
    placed.push(at);
  }
  return placed;
}
