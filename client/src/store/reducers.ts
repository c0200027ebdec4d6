import { TRAIL_MAX_POINTS, mergeVehicle, patchVehicle } from "../../../server/protocol";
import type {
  ClientConfig,
  DetailFrame,
  LinkStatus,
  SessionUser,
  Snapshot,
  StatusTextEvent,
  VehicleControl,
  VehicleEvent,
  VehicleFrame,
  VehicleKey,
  VehicleState,
} from "../../../server/protocol";
import { LINK_EVENTS_MAX, addLinkEvent, addStatusTexts } from "./alerts";
import { appendTrailPoint } from "./trail";
import { applyCommandProgress, applyMissionInfo, applyMissionProgress, applyPilotSnapshot, upsertAlerts } from "./pilot";
import type { AppData, ConnectionState, LiveEvent, TrailPoint } from "./types";

/** Used until GET /api/config answers: no tiles (works offline), the server's documented defaults otherwise. */
export const DEFAULT_CONFIG: ClientConfig = {
  tileUrl: null,
  tileAttribution: "",
  tickMs: 50,
  lostAfterMs: 5000,
  version: "",
};

export function initialData(config: ClientConfig = DEFAULT_CONFIG): AppData {
  return {
    auth: { status: "checking", user: null, reason: null },
    view: "map",
    control: {},
    config,
    configLoaded: false,
    connection: { status: "connecting" },
    vehicles: {},
    trails: {},
    alerts: [],
    linkEvents: [],
    vehicleEvents: [],
    links: [],
    selectedKey: null,
    follow: false,
    clockOffsetMs: 0,
    lastFrameSeq: null,
    nextAlertId: 1,
    serverAlerts: [],
    missions: {},
    missionProgress: {},
    commandProgress: {},
    incidents: [],
  };
}

/** A trail point at the time of the frame that moved the vehicle (lastUpdate is current only on watched vehicles). */
function trailPointOf(vehicle: VehicleState, time: number): TrailPoint | null {
  const p = vehicle.position;
  if (!p || !Number.isFinite(p.lat) || !Number.isFinite(p.lon)) return null;
  return { lat: p.lat, lon: p.lon, altAmsl: p.altAmsl, time };
}

/** Appends each vehicle's position to its trail; trails of vehicles not listed are left as they are. */
function growTrails(
  trails: AppData["trails"],
  vehicles: readonly VehicleState[],
  time: number,
): AppData["trails"] {
  let next: Record<VehicleKey, readonly TrailPoint[]> | null = null;
  for (const v of vehicles) {
    const point = trailPointOf(v, time);
    if (!point) continue;
    const before = trails[v.key] ?? [];
    const after = appendTrailPoint(before, point);
    if (after === before) continue;
    next ??= { ...trails };
    next[v.key] = after;
  }
  return next ?? trails;
}

/**
 * Trails from the server: those a live server sends after its snapshot, and those a replay's snapshot holds. The
 * server's track is the longer memory (it saw the flight before this screen opened), so it replaces ours up to its
 * last point, and the points we drew since (from frames that came between the snapshot and this part) stay after it.
 * A vehicle the screen does not hold is not brought back, and an empty trail changes nothing. A replay clears its
 * store before each snapshot (applyReplay), so a seek backwards keeps nothing drawn after it.
 */
export function applyServerTrails(state: AppData, server: Readonly<Record<VehicleKey, readonly TrailPoint[]>>): AppData {
  let next: Record<VehicleKey, readonly TrailPoint[]> | null = null;
  for (const [key, points] of Object.entries(server) as [VehicleKey, readonly TrailPoint[]][]) {
    const last = points[points.length - 1];
    if (last === undefined || !state.vehicles[key]) continue;
    const ours = state.trails[key] ?? [];
    let from = ours.length;
    while (from > 0 && ours[from - 1]!.time > last.time) from--;
    const merged = from === ours.length ? points : [...points, ...ours.slice(from)];
    next ??= { ...state.trails };
    next[key] = merged.length > TRAIL_MAX_POINTS ? merged.slice(merged.length - TRAIL_MAX_POINTS) : merged;
  }
  return next ? { ...state, trails: next } : state;
}

/** Whether two timeline events are the same one (a screen that joined just before it may get it twice). */
function sameVehicleEvent(a: VehicleEvent, b: VehicleEvent): boolean {
  return a.key === b.key && a.time === b.time && a.kind === b.kind && (a.kind !== "mode_change" || (b.kind === "mode_change" && a.to === b.to));
}

/**
 * A snapshot is the whole truth after (re)connecting: vehicles and links are replaced, and trails take the
 * server's track. A trail the server does not have survives (only an explicit reset clears trails), so a
 * reconnect does not erase where the drones have been.
 */
export function applySnapshot(state: AppData, snapshot: Snapshot, receivedAt: number): AppData {
  const vehicles: Record<VehicleKey, VehicleState> = {};
  for (const v of snapshot.vehicles) vehicles[v.key] = v;
  const texts = snapshot.vehicles.flatMap((v) => v.statusTexts.map((status) => ({ key: v.key, status })));
  const trails = snapshot.trails ? applyServerTrails({ ...state, vehicles }, snapshot.trails).trails : state.trails;
  return {
    ...state,
    ...addStatusTexts(state, texts),
    ...applyPilotSnapshot(state, snapshot),
    vehicles,
    links: snapshot.links,
    control: snapshot.control ?? state.control,
    vehicleEvents: snapshot.events ?? state.vehicleEvents,
    incidents: snapshot.incidents ?? state.incidents,
    trails: growTrails(trails, snapshot.vehicles, snapshot.time),
    clockOffsetMs: snapshot.time - receivedAt,
    lastFrameSeq: null,
  };
}

/**
 * Network jitter moves the measured offset by a few ms on every frame. Changing the store value that
 * often would re-render every clock-driven view each frame; ages are shown in whole seconds, so the
 * offset only follows changes larger than this (a replay's virtual clock jumping, a clock step).
 */
export const CLOCK_OFFSET_TOLERANCE_MS = 250;

export function nextClockOffset(current: number, measured: number): number {
  return Math.abs(measured - current) > CLOCK_OFFSET_TOLERANCE_MS ? measured : current;
}

/** A frame carries the full state of each vehicle that changed: those entries are replaced, the rest kept as is. */
export function applyFrame(state: AppData, frame: VehicleFrame, receivedAt: number): AppData {
  const clockOffsetMs = nextClockOffset(state.clockOffsetMs, frame.time - receivedAt);
  const base = { ...state, clockOffsetMs, lastFrameSeq: frame.seq };
  const removed = [...(frame.removed ?? [])];
  // A full frame is the whole fleet, and the list of vehicles sent every few seconds names it: what they leave out is
  // gone (this screen may have missed the frame saying so).
  const listed = frame.full ? frame.vehicles.map((v) => v.key) : frame.fleet;
  if (listed) {
    const fleet = new Set(listed);
    for (const key of Object.keys(state.vehicles) as VehicleKey[]) if (!fleet.has(key)) removed.push(key);
  }
  if (frame.vehicles.length === 0 && removed.length === 0) return base;
  const vehicles = { ...state.vehicles };
  const moved: VehicleState[] = [];
  for (const patch of frame.vehicles) {
    // null: a change to a vehicle this screen never had whole; its refresh brings it.
    const v = mergeVehicle(vehicles[patch.key], patch);
    if (!v) continue;
    vehicles[v.key] = v;
    if ("position" in patch || "positionE7" in patch) moved.push(v);
  }
  let trails = growTrails(state.trails, moved, frame.time);
  if (removed.length > 0) {
    const kept: Record<string, AppData["trails"][VehicleKey]> = { ...trails };
    for (const key of removed) {
      delete vehicles[key];
      delete kept[key];
    }
    trails = kept as AppData["trails"];
  }
  return { ...base, vehicles, trails };
}

/** The detail fields of watched vehicles: merged into the vehicles this screen holds (others are ignored). */
export function applyDetail(state: AppData, frame: DetailFrame): AppData {
  let vehicles: Record<VehicleKey, VehicleState> | null = null;
  for (const detail of frame.vehicles) {
    const prev = state.vehicles[detail.key];
    if (!prev) continue;
    vehicles ??= { ...state.vehicles };
    vehicles[detail.key] = patchVehicle(prev, detail);
  }
  return vehicles ? { ...state, vehicles } : state;
}

export function applyStatusText(state: AppData, event: StatusTextEvent): AppData {
  return { ...state, ...addStatusTexts(state, [{ key: event.key, status: event.status }]) };
}

export function applyLinks(state: AppData, links: LinkStatus[]): AppData {
  return { ...state, links };
}

/**
 * While socket.io retries, every failed attempt reports a new disconnection: keep the time of the
 * first one, so the UI says how long the data has been dead, not how long since the last retry.
 */
export function applyConnection(state: AppData, connection: ConnectionState): AppData {
  const prev = state.connection;
  if (connection.status === "disconnected" && prev.status === "disconnected") {
    return { ...state, connection: { ...connection, since: prev.since } };
  }
  return { ...state, connection };
}

/** "control:state" is the whole table: it replaces what we had. */
export function applyControl(state: AppData, control: Record<VehicleKey, VehicleControl>): AppData {
  return { ...state, control };
}

export function applySignedIn(state: AppData, user: SessionUser): AppData {
  return { ...state, auth: { status: "signed_in", user, reason: null } };
}

/**
 * The next person to sign in on this screen must not see the previous session's data (or its admin view),
 * so everything live is forgotten; the config stays (it is not secret and avoids a flash of defaults).
 */
export function applySignedOut(state: AppData, reason: string | null): AppData {
  return {
    ...initialData(state.config),
    configLoaded: state.configLoaded,
    nextAlertId: state.nextAlertId,
    auth: { status: "signed_out", user: null, reason },
  };
}

export function applyEvent(state: AppData, event: LiveEvent): AppData {
  switch (event.kind) {
    case "snapshot":
      return applySnapshot(state, event.snapshot, event.receivedAt);
    case "trails":
      return applyServerTrails(state, event.trails);
    case "frame":
      return applyFrame(state, event.frame, event.receivedAt);
    case "detail":
      return applyDetail(state, event.frame);
    case "statustext":
      return applyStatusText(state, event.event);
    case "link":
      return { ...state, ...addLinkEvent(state, event.event) };
    case "vehicleEvent":
      // The same event again: in the snapshot of a screen that joined between the event and its batch, then in it.
      if (state.vehicleEvents.some((e) => sameVehicleEvent(e, event.event))) return state;
      return { ...state, vehicleEvents: [event.event, ...state.vehicleEvents].slice(0, LINK_EVENTS_MAX) };
    case "links":
      return applyLinks(state, event.links);
    case "connection":
      return applyConnection(state, event.connection);
    case "control":
      return applyControl(state, event.control);
    case "alert":
      return { ...state, serverAlerts: upsertAlerts(state.serverAlerts, [event.alert]) };
    case "missionVehicle":
      return applyMissionInfo(state, event.info);
    case "missionProgress":
      return applyMissionProgress(state, event.event);
    case "commandProgress":
      return applyCommandProgress(state, event.event);
    case "incidents":
      return { ...state, incidents: event.incidents };
  }
}

export function applyEvents(state: AppData, events: readonly LiveEvent[]): AppData {
  return events.reduce(applyEvent, state);
}

/** Explicit reset: the only way trails are cleared. */
export function resetData(state: AppData): AppData {
  return {
    ...initialData(state.config),
    auth: state.auth,
    view: state.view,
    configLoaded: state.configLoaded,
    connection: state.connection,
    nextAlertId: state.nextAlertId,
  };
}
