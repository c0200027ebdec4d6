import type { IncidentLocation, LatLon } from "../../../../server/protocol";
import { MAX_AREA_CORNERS } from "./draft";

/** A new point's radius until the user types one. */
export const DEFAULT_RADIUS_M = 100;

export type PlaceTool = "none" | "point" | "area";

const same = (a: LatLon | undefined, b: LatLon) => a !== undefined && a.lat === b.lat && a.lon === b.lon;

/**
 * A corner clicked while drawing an area. A double-click (which closes the area) arrives as two clicks at the same
 * spot first: a corner equal to the last one is not added again. Past the server's limit nothing is added.
 */
export function addCorner(pending: readonly LatLon[], p: LatLon): LatLon[] {
  if (same(pending[pending.length - 1], p) || pending.length >= MAX_AREA_CORNERS) return [...pending];
  return [...pending, { lat: p.lat, lon: p.lon }];
}

/** The corners drawn so far as an area, or why they are not one yet. */
export function closeArea(pending: readonly LatLon[]): { ok: true; location: IncidentLocation } | { ok: false; message: string } {
  const corners = pending.filter((p, i) => !same(pending[i - 1], p));
  if (corners.length < 3) return { ok: false, message: "an area needs 3 corners or more: click on the map to add them" };
  return { ok: true, location: { kind: "area", points: corners } };
}

/** A point placed by a click keeps the radius already chosen (or the default). */
export function placePoint(p: LatLon, previous: IncidentLocation | null): IncidentLocation {
  const radiusM = previous?.kind === "point" ? previous.radiusM : DEFAULT_RADIUS_M;
  return { kind: "point", lat: p.lat, lon: p.lon, radiusM };
}

/** "51.5074, -0.1278" (what a CAD log gives) as a place to look at; null if it is not one. */
export function parseLatLon(text: string): LatLon | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*[, ]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : null;
}
