import { copyVehicle, sameValue, statusTextsAdded, toPositionE7 } from "../protocol";
import type { Attitude, StatusText, VehicleDetail, VehicleKey, VehicleLinkHealth, VehiclePatch, VehicleState } from "../protocol";

/** Link counters (packets, bytes/s, heartbeat age) go to screens at most this often, unless the link's state changes. */
export const LINK_EVERY_MS = 1000;

const SCALE = [1, 10, 100, 1000, 10_000];
/** The double nearest to x at that many decimals, which JSON prints in as many digits (toFixed is 5x slower). */
function roundTo(x: number, decimals: number): number;
function roundTo(x: number | null, decimals: number): number | null;
function roundTo(x: number | null, decimals: number): number | null {
  if (x === null) return null;
  const k = SCALE[decimals]!;
  return Math.round(x * k) / k;
}

/** Whole degrees: the map turns its markers in 5° steps, the cards print whole degrees (the watchers get the yaw). */
function wireHeading(h: number | null): number | null {
  return h === null ? null : Math.round(h) % 360;
}

function wireAttitude(a: Attitude | null): Attitude | null {
  return a ? { roll: roundTo(a.roll, 4), pitch: roundTo(a.pitch, 4), yaw: roundTo(a.yaw, 4) } : null;
}

/**
 * A vehicle as screens are sent it. Attitude and VFR_HUD speeds arrive as float32, which JSON would print with
 * 17 digits of noise; they go out at 0.0001 rad (0.006°) and 0.01 m/s, finer than any screen draws. The heading goes
 * in whole degrees: at 0.01° it changed with every position report, a field in nearly every frame for no screen's
 * benefit. The rest is exact: positions and altitudes come from integers (1e-7°, mm) and print short by themselves.
 */
export function toWire(v: VehicleState): VehicleState {
  return {
    ...v, heading: wireHeading(v.heading), attitude: wireAttitude(v.attitude), groundSpeed: roundTo(v.groundSpeed, 2),
    airSpeed: roundTo(v.airSpeed, 2), climb: roundTo(v.climb, 2),
  };
}

/** A vehicle's detail fields as its watchers are sent them. */
export function toDetail(v: VehicleState): VehicleDetail {
  return { key: v.key, attitude: wireAttitude(v.attitude), airSpeed: roundTo(v.airSpeed, 2), lastUpdate: v.lastUpdate };
}

function sameLinks(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function linkUrgent(before: VehicleLinkHealth, after: VehicleLinkHealth): boolean {
  return before.state !== after.state || !sameLinks(before.links, after.links);
}

function sameLink(a: VehicleLinkHealth, b: VehicleLinkHealth): boolean {
  return a.state === b.state && a.heartbeatAgeMs === b.heartbeatAgeMs && a.lastHeartbeat === b.lastHeartbeat
    && a.packetsReceived === b.packetsReceived && a.packetsLost === b.packetsLost && a.lossRatio === b.lossRatio
    && a.bytesPerSecond === b.bytesPerSecond && sameLinks(a.links, b.links);
}

/** What the screens hold of one vehicle. */
interface Held {
  /** The vehicle as every screen that took every frame holds it, at wire precision: this class's own object. */
  wire: VehicleState;
  /**
   * The state the last patch was made from. The reducer never changes a state or its fields in place (a message that
   * sets a field gives it a new object), so an object field that is the same object as then is the same on the
   * screens and is not walked again: a vehicle's twenty status texts, its mission, its home.
   */
  source: VehicleState;
  linkSentAt: number;
  /** When the screens were last sent the vehicle whole. */
  wholeAt: number;
}

type Patch = Record<string, unknown>;

/** One frame's content for every screen: see `FrameDeltas.frame`. */
export interface FrameContent {
  vehicles: VehiclePatch[];
  /** Every vehicle the screens hold, when due (`VehicleFrame.fleet`). */
  fleet?: VehicleKey[];
}

/**
 * What every screen was last sent of each vehicle, so a frame carries only what changed since. One instance serves
 * every screen: a frame is encoded once and written to all of them, and a screen that cannot take one is resynced
 * with a full frame of what the others hold (`held`) instead of being sent a patch it cannot apply.
 *
 * Ten times a second for every vehicle that changed, so written for speed: each field is compared by name (a loop
 * over the fields, `v[k]`, takes the engine's generic path, several times slower), primitives by value, objects by
 * identity first. vehicle-copy's test data has every field, and frames.test.ts checks each one is sent when it changes.
 *
 * Patches leave out the detail fields (DETAIL_FIELDS: attitude, air speed, time of the last packet), which go only to
 * the screens watching the vehicle; a vehicle new to the screens, or refreshed, has them as they are then.
 *
 * What bounds how long a screen can hold a wrong copy is the refresh: each vehicle goes whole once every
 * `refreshEveryMs`, a few vehicles a frame in turn, and the list of the vehicles goes with a frame as often. That
 * used to be a full frame of the whole fleet at once (172 KB for 200 vehicles), which every screen parsed in the same
 * instant: with a hundred screens on one machine, their slowest moment was that frame.
 */
export class FrameDeltas {
  private readonly vehicles = new Map<VehicleKey, Held>();
  /** Refreshes owed: the fleet's share of `refreshEveryMs` elapsed since the last frame, in vehicles. */
  private refreshCredit = 0;
  private lastFrameAt: number | null = null;
  private lastFleetAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly refreshEveryMs: number) {}

  /**
   * This tick's frame: the patches of the vehicles that changed, and the vehicles due for their refresh whole (in
   * place of their patch), spread evenly: with 200 vehicles, 50 ms frames and a 10 s refresh, one a frame. A vehicle
   * not sent whole for `refreshEveryMs` goes in this frame, however many that makes. `current` gives a vehicle as it
   * is now (its link's age and rates move while it is silent); without it, or when it has none, a vehicle goes as at
   * its last change. Remembered as sent.
   */
  frame(changed: readonly VehicleState[], time: number, current?: (key: VehicleKey) => VehicleState | undefined): FrameContent {
    const vehicles = this.delta(changed, time);
    this.refresh(vehicles, time, current);
    if (time - this.lastFleetAt < this.refreshEveryMs && time >= this.lastFleetAt) return { vehicles };
    this.lastFleetAt = time;
    return { vehicles, fleet: [...this.vehicles.keys()] };
  }

  private refresh(out: VehiclePatch[], time: number, current: ((key: VehicleKey) => VehicleState | undefined) | undefined): void {
    const elapsed = this.lastFrameAt === null ? 0 : Math.min(Math.max(time - this.lastFrameAt, 0), this.refreshEveryMs);
    this.lastFrameAt = time;
    this.refreshCredit += (this.vehicles.size * elapsed) / this.refreshEveryMs;
    let owed = Math.floor(this.refreshCredit);
    this.refreshCredit -= owed;
    // The map is in the order the vehicles were last sent whole: the first, the longest ago.
    const due: Held[] = [];
    for (const h of this.vehicles.values()) {
      if (owed <= 0 && time - h.wholeAt < this.refreshEveryMs) break;
      due.push(h);
      owed -= 1;
    }
    if (due.length === 0) return;
    const at = new Map(out.map((p, i) => [p.key, i]));
    for (const h of due) {
      const whole = this.whole(current?.(h.source.key) ?? h.source, time);
      const i = at.get(whole.key);
      if (i === undefined) out.push(whole);
      else out[i] = whole;
    }
  }

  /** The patches of the vehicles that changed (those with nothing new to send are left out); remembered as sent. */
  delta(changed: readonly VehicleState[], time: number): VehiclePatch[] {
    const out: VehiclePatch[] = [];
    for (const v of changed) {
      const patch = this.patch(v, time);
      if (patch) out.push(patch);
    }
    return out;
  }

  /** The vehicle whole, remembered as sent; last in the refresh's turn. */
  private whole(v: VehicleState, time: number): VehiclePatch {
    const wire = toWire(v);
    this.vehicles.delete(v.key);
    this.vehicles.set(v.key, { wire, source: v, linkSentAt: time, wholeAt: time });
    return { ...wire };
  }

  private patch(v: VehicleState, time: number): VehiclePatch | null {
    const h = this.vehicles.get(v.key);
    if (!h) return this.whole(v, time);
    const w = h.wire;
    // A field that went away cannot be patched (a spread does not remove): the vehicle goes whole. The reducer only
    // ever adds optional fields, so this is for exactness.
    if ((w.batteryState !== undefined && v.batteryState === undefined) || (w.fence !== undefined && v.fence === undefined)
      || (w.sensorsUnhealthy !== undefined && v.sensorsUnhealthy === undefined)) return this.whole(v, time);
    const p = h.source;
    h.source = v;
    let o: Patch | null = null;
    if (v.sysid !== w.sysid) (o ??= { key: v.key }).sysid = w.sysid = v.sysid;
    if (v.compid !== w.compid) (o ??= { key: v.key }).compid = w.compid = v.compid;
    if (v.vehicleClass !== w.vehicleClass) (o ??= { key: v.key }).vehicleClass = w.vehicleClass = v.vehicleClass;
    if (v.mavType !== w.mavType) (o ??= { key: v.key }).mavType = w.mavType = v.mavType;
    if (v.autopilot !== w.autopilot) (o ??= { key: v.key }).autopilot = w.autopilot = v.autopilot;
    if (v.firmware !== w.firmware) (o ??= { key: v.key }).firmware = w.firmware = v.firmware;
    if (v.mode !== w.mode) (o ??= { key: v.key }).mode = w.mode = v.mode;
    if (v.customMode !== w.customMode) (o ??= { key: v.key }).customMode = w.customMode = v.customMode;
    if (v.armed !== w.armed) (o ??= { key: v.key }).armed = w.armed = v.armed;
    if (v.armedSince !== w.armedSince) (o ??= { key: v.key }).armedSince = w.armedSince = v.armedSince;
    if (v.systemStatus !== w.systemStatus) (o ??= { key: v.key }).systemStatus = w.systemStatus = v.systemStatus;
    if (v.position !== p.position && !sameValue(w.position, v.position)) {
      const e7 = v.position === null ? null : toPositionE7(v.position);
      o ??= { key: v.key };
      if (e7) o.positionE7 = e7;
      else o.position = v.position;
      w.position = v.position;
    }
    const heading = wireHeading(v.heading);
    if (heading !== w.heading) (o ??= { key: v.key }).heading = w.heading = heading;
    const groundSpeed = roundTo(v.groundSpeed, 2);
    if (groundSpeed !== w.groundSpeed) (o ??= { key: v.key }).groundSpeed = w.groundSpeed = groundSpeed;
    const climb = roundTo(v.climb, 2);
    if (climb !== w.climb) (o ??= { key: v.key }).climb = w.climb = climb;
    if (v.battery !== p.battery && !sameValue(w.battery, v.battery)) (o ??= { key: v.key }).battery = w.battery = v.battery;
    if (v.gps !== p.gps && !sameValue(w.gps, v.gps)) (o ??= { key: v.key }).gps = w.gps = v.gps;
    if (v.ekfHealthy !== w.ekfHealthy) (o ??= { key: v.key }).ekfHealthy = w.ekfHealthy = v.ekfHealthy;
    if (v.ekfFlags !== w.ekfFlags) (o ??= { key: v.key }).ekfFlags = w.ekfFlags = v.ekfFlags;
    if (v.batteryState !== w.batteryState) (o ??= { key: v.key }).batteryState = w.batteryState = v.batteryState;
    if (v.fence !== p.fence && !sameValue(w.fence, v.fence)) (o ??= { key: v.key }).fence = w.fence = v.fence;
    if (v.sensorsUnhealthy !== p.sensorsUnhealthy && !sameValue(w.sensorsUnhealthy, v.sensorsUnhealthy)) {
      (o ??= { key: v.key }).sensorsUnhealthy = w.sensorsUnhealthy = v.sensorsUnhealthy;
    }
    if (v.home !== p.home && !sameValue(w.home, v.home)) (o ??= { key: v.key }).home = w.home = v.home;
    if (v.mission !== p.mission && !sameValue(w.mission, v.mission)) (o ??= { key: v.key }).mission = w.mission = v.mission;
    if (v.statusTexts !== p.statusTexts && !sameValue(w.statusTexts, v.statusTexts)) {
      // New texts alone (a text at a time, where the whole list is twenty).
      const added = statusTextsAdded(w.statusTexts, v.statusTexts);
      o ??= { key: v.key };
      if (added) o.statusTextsAdded = added;
      else o.statusTexts = v.statusTexts;
      w.statusTexts = v.statusTexts;
    }
    // The link is always compared: its counters may have been held back (LINK_EVERY_MS) while the object stayed.
    if (!sameLink(w.link, v.link) && (linkUrgent(w.link, v.link) || time - h.linkSentAt >= LINK_EVERY_MS)) {
      (o ??= { key: v.key }).link = w.link = v.link;
      h.linkSentAt = time;
    }
    return o as VehiclePatch | null;
  }

  /** The status texts every screen that took every frame holds of a vehicle; undefined for one not sent yet. */
  sentStatusTexts(key: VehicleKey): readonly StatusText[] | undefined {
    return this.vehicles.get(key)?.wire.statusTexts;
  }

  /** What every screen that took every frame holds now (copies). */
  held(): VehicleState[] {
    return [...this.vehicles.values()].map((h) => copyVehicle(h.wire));
  }

  forget(keys: readonly VehicleKey[]): void {
    for (const k of keys) this.vehicles.delete(k);
  }
}
