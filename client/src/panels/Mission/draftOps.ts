/**
 * Pure edits of a draft Mission. Each returns a new Mission, or the same object when the edit does not apply
 * (bad index, no change): the editor reducer records history only when the reference changes.
 */
import type { FenceCircle, FencePolygon, LatLon, Mission, MissionItem, RallyPoint } from "../../../../server/protocol";
import { midpoint, roundLatLon as pt } from "./geo";
import { convertItem, DEFAULT_ALTITUDE_M, hasAltitude, hasPosition, type ItemKind, waypoint } from "./kinds";

export function emptyMission(home: Mission["home"] = null): Mission {
  return { home, items: [], fence: { polygons: [], circles: [] }, rally: [] };
}

function replaceAt<T>(list: readonly T[], index: number, value: T): T[] {
  return list.map((v, i) => (i === index ? value : v));
}

function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

function insertAt<T>(list: readonly T[], index: number, value: T): T[] {
  return [...list.slice(0, index), value, ...list.slice(index)];
}

const inRange = (list: readonly unknown[], i: number) => Number.isInteger(i) && i >= 0 && i < list.length;

function withItems(m: Mission, items: MissionItem[]): Mission {
  return { ...m, items };
}

/** The altitude a new waypoint gets: the last item with a meaningful altitude, else the default. */
export function defaultAltitude(items: readonly MissionItem[], before = items.length): number {
  for (let i = Math.min(before, items.length) - 1; i >= 0; i--) {
    const it = items[i];
    if (it && hasAltitude(it) && it.alt > 0) return it.alt;
  }
  return DEFAULT_ALTITUDE_M;
}

/** The nearest position at or before index `i` (or home): where an item without position "is". */
export function positionBefore(m: Mission, i: number): LatLon | null {
  for (let k = Math.min(i, m.items.length - 1); k >= 0; k--) {
    const it = m.items[k];
    if (it && hasPosition(it)) return { lat: it.lat, lon: it.lon };
  }
  return m.home ? { lat: m.home.lat, lon: m.home.lon } : null;
}

function positionAfter(m: Mission, i: number): LatLon | null {
  for (let k = i + 1; k < m.items.length; k++) {
    const it = m.items[k];
    if (it && hasPosition(it)) return { lat: it.lat, lon: it.lon };
  }
  return null;
}

export function addWaypoint(m: Mission, at: LatLon): Mission {
  return withItems(m, [...m.items, waypoint(pt(at), defaultAltitude(m.items))]);
}

/** Inserts an item after `index` (-1: first). Without an item, a waypoint halfway to the next position (as QGC does). */
export function insertAfter(m: Mission, index: number, item?: MissionItem): Mission {
  if (index < -1 || index >= m.items.length) return m;
  if (item) return withItems(m, insertAt(m.items, index + 1, item));
  const before = positionBefore(m, index);
  const after = positionAfter(m, index);
  const at = before && after ? midpoint(before, after) : (before ?? after);
  if (!at) return m;
  return withItems(m, insertAt(m.items, index + 1, waypoint(pt(at), defaultAltitude(m.items, index + 1))));
}

export function moveItem(m: Mission, index: number, at: LatLon): Mission {
  const it = m.items[index];
  const p = pt(at);
  if (!it || !hasPosition(it) || (it.lat === p.lat && it.lon === p.lon)) return m;
  return withItems(m, replaceAt(m.items, index, { ...it, ...p }));
}

export function deleteItem(m: Mission, index: number): Mission {
  return inRange(m.items, index) ? withItems(m, removeAt(m.items, index)) : m;
}

export function reorderItem(m: Mission, from: number, to: number): Mission {
  const it = m.items[from];
  if (!it || !inRange(m.items, to) || from === to) return m;
  return withItems(m, insertAt(removeAt(m.items, from), to, it));
}

export function setAltitude(m: Mission, index: number, alt: number): Mission {
  const it = m.items[index];
  if (!it || !Number.isFinite(alt) || it.alt === alt) return m;
  return withItems(m, replaceAt(m.items, index, { ...it, alt }));
}

export function setKind(m: Mission, index: number, kind: Exclude<ItemKind, "other">, value?: number): Mission {
  const it = m.items[index];
  if (!it) return m;
  return withItems(m, replaceAt(m.items, index, convertItem(it, kind, positionBefore(m, index - 1), value)));
}

export function setParam(m: Mission, index: number, param: 0 | 1 | 2 | 3, value: number | null): Mission {
  const it = m.items[index];
  if (!it || (value !== null && !Number.isFinite(value)) || it.params[param] === value) return m;
  const params: MissionItem["params"] = [...it.params];
  params[param] = value;
  return withItems(m, replaceAt(m.items, index, { ...it, params }));
}

// ---- fence ----

function withFence(m: Mission, fence: Partial<Mission["fence"]>): Mission {
  return { ...m, fence: { ...m.fence, ...fence } };
}

export function addPolygon(m: Mission, inclusion: boolean, points: readonly LatLon[]): Mission {
  if (points.length < 3) return m;
  const polygon: FencePolygon = { inclusion, points: points.map(pt) };
  return withFence(m, { polygons: [...m.fence.polygons, polygon] });
}

function editPolygon(m: Mission, polygon: number, edit: (p: FencePolygon) => FencePolygon | null): Mission {
  const p = m.fence.polygons[polygon];
  const next = p ? edit(p) : null;
  return p && next ? withFence(m, { polygons: replaceAt(m.fence.polygons, polygon, next) }) : m;
}

export function moveVertex(m: Mission, polygon: number, vertex: number, at: LatLon): Mission {
  return editPolygon(m, polygon, (p) => (inRange(p.points, vertex) ? { ...p, points: replaceAt(p.points, vertex, pt(at)) } : null));
}

/** Adds a vertex after `after` (dragging the midpoint handle of an edge does this). */
export function insertVertex(m: Mission, polygon: number, after: number, at: LatLon): Mission {
  return editPolygon(m, polygon, (p) => (inRange(p.points, after) ? { ...p, points: insertAt(p.points, after + 1, pt(at)) } : null));
}

/** A polygon keeps at least 3 vertices: delete the polygon itself to remove it. */
export function deleteVertex(m: Mission, polygon: number, vertex: number): Mission {
  return editPolygon(m, polygon, (p) => (inRange(p.points, vertex) && p.points.length > 3 ? { ...p, points: removeAt(p.points, vertex) } : null));
}

export function setPolygonInclusion(m: Mission, polygon: number, inclusion: boolean): Mission {
  return editPolygon(m, polygon, (p) => (p.inclusion === inclusion ? null : { ...p, inclusion }));
}

export function deletePolygon(m: Mission, polygon: number): Mission {
  return inRange(m.fence.polygons, polygon) ? withFence(m, { polygons: removeAt(m.fence.polygons, polygon) }) : m;
}

export function addCircle(m: Mission, inclusion: boolean, center: LatLon, radius: number): Mission {
  if (!(radius > 0)) return m;
  const circle: FenceCircle = { inclusion, center: pt(center), radius };
  return withFence(m, { circles: [...m.fence.circles, circle] });
}

function editCircle(m: Mission, circle: number, edit: (c: FenceCircle) => FenceCircle | null): Mission {
  const c = m.fence.circles[circle];
  const next = c ? edit(c) : null;
  return c && next ? withFence(m, { circles: replaceAt(m.fence.circles, circle, next) }) : m;
}

export function moveCircle(m: Mission, circle: number, center: LatLon): Mission {
  return editCircle(m, circle, (c) => ({ ...c, center: pt(center) }));
}

export function setRadius(m: Mission, circle: number, radius: number): Mission {
  return editCircle(m, circle, (c) => (radius > 0 && Number.isFinite(radius) && c.radius !== radius ? { ...c, radius } : null));
}

export function setCircleInclusion(m: Mission, circle: number, inclusion: boolean): Mission {
  return editCircle(m, circle, (c) => (c.inclusion === inclusion ? null : { ...c, inclusion }));
}

export function deleteCircle(m: Mission, circle: number): Mission {
  return inRange(m.fence.circles, circle) ? withFence(m, { circles: removeAt(m.fence.circles, circle) }) : m;
}

// ---- rally ----

export function addRally(m: Mission, at: LatLon, alt = defaultAltitude(m.items)): Mission {
  const point: RallyPoint = { ...pt(at), alt };
  return { ...m, rally: [...m.rally, point] };
}

export function moveRally(m: Mission, index: number, at: LatLon): Mission {
  const r = m.rally[index];
  return r ? { ...m, rally: replaceAt(m.rally, index, { ...r, ...pt(at) }) } : m;
}

export function setRallyAltitude(m: Mission, index: number, alt: number): Mission {
  const r = m.rally[index];
  return r && Number.isFinite(alt) && r.alt !== alt ? { ...m, rally: replaceAt(m.rally, index, { ...r, alt }) } : m;
}

export function deleteRally(m: Mission, index: number): Mission {
  return inRange(m.rally, index) ? { ...m, rally: removeAt(m.rally, index) } : m;
}
