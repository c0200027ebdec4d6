/** What the mission layer draws, computed without Leaflet so it can be tested as data. */
import type { LatLon, Mission, MissionProgress } from "../../../../server/protocol";
import { midpoint } from "./geo";
import { hasPosition, type ItemKind, kindOf } from "./kinds";

/** "current": the vehicle is flying to it; "reached": passed in this run; "planned": neither. */
export type ItemProgress = "current" | "reached" | "planned";

export interface ItemMarker {
  index: number;
  /** Mission seq (index + 1): the number shown, as in QGC and in the vehicle's messages. */
  seq: number;
  lat: number;
  lon: number;
  kind: ItemKind;
  progress: ItemProgress;
}

export function itemProgress(seq: number, progress: MissionProgress | null): ItemProgress {
  if (!progress) return "planned";
  if (progress.state !== "complete" && progress.current === seq) return "current";
  return progress.reached.includes(seq) ? "reached" : "planned";
}

/**
 * Markers for items with a position. Progress is shown only when the draft is what the vehicle flies: the
 * vehicle's seq numbers mean nothing on a draft that differs from its mission.
 */
export function itemMarkers(m: Mission, progress: MissionProgress | null, inSync: boolean): ItemMarker[] {
  const out: ItemMarker[] = [];
  m.items.forEach((it, index) => {
    if (!hasPosition(it)) return;
    const seq = index + 1;
    out.push({ index, seq, lat: it.lat, lon: it.lon, kind: kindOf(it), progress: inSync ? itemProgress(seq, progress) : "planned" });
  });
  return out;
}

/** The flight path: from home through every position, back home on RTL; nothing after the flight ends. */
export function pathPoints(m: Mission, home: LatLon | null): LatLon[] {
  const out: LatLon[] = home ? [home] : [];
  for (const it of m.items) {
    const kind = kindOf(it);
    if (hasPosition(it)) out.push({ lat: it.lat, lon: it.lon });
    if (kind === "rtl") {
      if (home) out.push(home);
      break;
    }
    if (kind === "land") break;
  }
  return out;
}

/** Handles halfway along each edge of a polygon (closing edge included): dragging or clicking one adds a corner. */
export function edgeMidpoints(points: readonly LatLon[]): { after: number; at: LatLon }[] {
  return points.map((p, i) => ({ after: i, at: midpoint(p, points[(i + 1) % points.length] ?? p) }));
}

export const FENCE_COLOURS = { inclusion: "#3fb950", exclusion: "#f85149" } as const;

export function fenceColour(inclusion: boolean): string {
  return inclusion ? FENCE_COLOURS.inclusion : FENCE_COLOURS.exclusion;
}

/** Map-click behaviour per tool, as words for the hint under the tool buttons. */
export const MODE_HINTS = {
  select: "Click a marker to select it; drag it to move it.",
  waypoint: "Click the map to add a waypoint at the end of the mission.",
  polygon: "Click the map to place the corners, then Finish polygon. Drag corners to move them, right-click to delete one.",
  circle: "Click the map to place a circular zone; set its radius in the list. Drag its centre to move it.",
  rally: "Click the map to add a rally point. Drag to move, right-click to delete.",
} as const;

/** Metres per degree of latitude (and of longitude at the equator), for a circle's extent. */
const M_PER_DEG = 111_320;

/**
 * Every place the plan puts on the map (items with a position, fence corners, the edges of fence circles, rally
 * points): what the map fits to, so that nothing drawn is off screen.
 */
export function missionPoints(m: Mission): LatLon[] {
  const out: LatLon[] = m.items.filter(hasPosition).map((it) => ({ lat: it.lat, lon: it.lon }));
  for (const p of m.fence.polygons) out.push(...p.points);
  for (const c of m.fence.circles) {
    const dLat = c.radius / M_PER_DEG;
    const dLon = c.radius / (M_PER_DEG * Math.max(0.01, Math.cos((c.center.lat * Math.PI) / 180)));
    out.push({ lat: c.center.lat - dLat, lon: c.center.lon - dLon }, { lat: c.center.lat + dLat, lon: c.center.lon + dLon });
  }
  for (const r of m.rally) out.push({ lat: r.lat, lon: r.lon });
  return out;
}
