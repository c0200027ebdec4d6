import { simplify } from "@turf/simplify";

/** Metres per degree of latitude (mean Earth radius); good to a fraction of a percent for a tolerance. */
const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

/**
 * Which of `count` positions to keep so that none dropped lay further than `toleranceM` from the line through those
 * kept (Douglas-Peucker, turf's), first and last always kept, in order. In metres, not degrees: the positions are
 * projected onto a plane (equirectangular around the first one, exact enough across a flight's few kilometres), so
 * the tolerance means the same east-west as north-south; a degree tolerance would allow 1/cos(latitude) times more
 * error across than along a meridian. `highQuality: false` runs a radial pass first: quicker, a little coarser.
 */
export function simplifiedIndexes(
  count: number, latOf: (i: number) => number, lonOf: (i: number) => number, toleranceM: number, highQuality = true,
): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  if (count < 3 || toleranceM <= 0) return all;
  const lat0 = latOf(0), lon0 = lonOf(0);
  const kx = Math.cos((lat0 * Math.PI) / 180) * M_PER_DEG;
  // The index rides along as a third coordinate: simplify works in 2-D and keeps the points it returns.
  const coordinates = all.map((i) => [(lonOf(i) - lon0) * kx, (latOf(i) - lat0) * M_PER_DEG, i]);
  const line = simplify({ type: "LineString", coordinates }, { tolerance: toleranceM, highQuality, mutate: true });
  return line.coordinates.map((c) => c[2]!);
}
