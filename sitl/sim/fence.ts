/**
 * The geofence as ArduCopter 4.7 runs it (AC_Fence.cpp check, ArduCopter/fence.cpp, GCS_Fence.cpp
 * send_fence_status), seen from the wire as fence_polygon_breach recorded it:
 * - fences from parameters (FENCE_TYPE bits: 1 max altitude FENCE_ALT_MAX, 2 circle FENCE_RADIUS around home) and
 *   from the uploaded fence list (4 polygon/circle zones), all switched on by FENCE_ENABLE, checked at 25 Hz;
 * - a fresh breach: FENCE_STATUS at once (breach_status 1, breach_count, breach_type, breach_time in ms since
 *   boot), "<names> fence breached" at NOTICE (not below WARNING: "Polygon fence breached"), then FENCE_ACTION's
 *   mode change by the vehicle itself (RTL, or LAND more than 100 m out), whose set_mode says "Manual recovery
 *   started" and ignores new breaches for 10 s; SYS_STATUS GEOFENCE health is clear while breached;
 * - back inside: "Fence breach cleared" (NOTICE, not when landed); FENCE_STATUS goes back to 0 and keeps the count.
 * FENCE_STATUS streams (EXTENDED_STATUS group or SET_MESSAGE_INTERVAL) only while FENCE_ENABLE is on.
 * The minimum-altitude fence and its auto-enable are not simulated.
 */
import type { RawFields } from "../../server/mavlink";
import { tryMode } from "./failsafe-action";
import { zoneBreach, zonesOf } from "./fence-geometry";
import type { NE, Zone } from "./fence-geometry";
import type { MissionItem } from "./mission";
import { MODE } from "./modes";
import type { SimVehicle } from "./vehicle";
import { SEVERITY } from "./severity";

export const FENCE_TYPE = { ALT_MAX: 1, CIRCLE: 2, POLYGON: 4, ALT_MIN: 8 } as const;
const NAMES: readonly [number, string][] = [[1, "Max Alt"], [2, "Circle"], [4, "Polygon"], [8, "Min Alt"]];
/** FENCE_BREACH and FENCE_MITIGATE as MAVLink numbers them. */
const BREACH = { NONE: 0, MINALT: 1, MAXALT: 2, BOUNDARY: 3 } as const;
const MITIGATE_NONE = 1;
/** AC_FENCE_*_BACKUP_DISTANCE, AC_FENCE_GIVE_UP_DISTANCE, AC_FENCE_MANUAL_RECOVERY_TIME_MIN. */
const BACKUP_M = 20;
const GIVE_UP_M = 100;
const MANUAL_RECOVERY_MS = 10_000;
const CHECK_INTERVAL_MS = 40;
const MAX_BREACH_COUNT = 65_500;

/** AC_Fence::get_fence_names: "Polygon fence", "Max Alt and Circle fences". */
export function fenceNames(types: number): string {
  const names = NAMES.filter(([bit]) => (types & bit) !== 0).map(([, name]) => name);
  const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)!}` : names[0] ?? "";
  return `${list} fence${names.length > 1 ? "s" : ""}`;
}

export class FenceMonitor {
  /** Bitmask of breached fences (FENCE_TYPE bits). */
  breaches = 0;
  breachCount = 0;
  /** ms since boot of the first breach of the current episode. */
  breachTimeMs = 0;
  private zones: Zone[] = [];
  private readonly distance = new Map<number, number>();
  private altBackup = 0;
  private circleBackup = 0;
  private recoveryStart: number | null = null;
  private lastCheck = -Infinity;
  /** This check's time since boot, and whether it started a breach episode (record_breach's bookkeeping). */
  private bootMs = 0;
  private episodeStarted = false;

  reset(): void {
    this.breaches = 0;
    this.breachCount = 0;
    this.breachTimeMs = 0;
    this.distance.clear();
    this.altBackup = 0;
    this.circleBackup = 0;
    this.recoveryStart = null;
    this.lastCheck = -Infinity;
  }

  /** The fence list changed (an upload or a clear). */
  load(items: readonly MissionItem[], toNE: (lat: number, lon: number) => NE): void {
    this.zones = zonesOf(items, toNE);
  }

  /** AC_Fence::present: configured fences that exist (the zones only once the EKF origin is set). */
  present(v: SimVehicle): number {
    const zones = this.zones.length > 0 && v.home ? FENCE_TYPE.POLYGON : 0;
    return v.params.get("FENCE_TYPE", 7) & (FENCE_TYPE.ALT_MAX | FENCE_TYPE.CIRCLE | FENCE_TYPE.ALT_MIN | zones);
  }

  enabled(v: SimVehicle): boolean {
    return v.params.get("FENCE_ENABLE", 0) === 1;
  }

  private enabledFences(v: SimVehicle): number {
    return this.enabled(v) ? this.present(v) & ~FENCE_TYPE.ALT_MIN : 0;
  }

  /** SYS_STATUS MAV_SYS_STATUS_GEOFENCE: present / enabled / healthy. */
  sensor(v: SimVehicle): { present: boolean; enabled: boolean; healthy: boolean } {
    const present = this.present(v) !== 0;
    return {
      present,
      enabled: present && this.enabled(v) && v.params.get("FENCE_ACTION", 1) !== 0,
      healthy: !present || this.breaches === 0,
    };
  }

  /** FENCE_STATUS fields, or null while the fence is off (ArduPilot sends nothing then). */
  statusFields(v: SimVehicle): RawFields | null {
    if (!this.enabled(v)) return null;
    let type: number = BREACH.NONE;
    if (this.breaches & FENCE_TYPE.ALT_MIN) type = BREACH.MINALT;
    if (this.breaches & FENCE_TYPE.ALT_MAX) type = BREACH.MAXALT;
    if (this.breaches & (FENCE_TYPE.CIRCLE | FENCE_TYPE.POLYGON)) type = BREACH.BOUNDARY;
    return {
      breach_status: this.breaches !== 0 ? 1 : 0, breach_count: this.breachCount, breach_type: type,
      breach_time: this.breachTimeMs, breach_mitigation: MITIGATE_NONE,
    };
  }

  /** Arming refused while breaching (AC_Fence::pre_arm_check). */
  armBlockers(): string[] {
    return this.breaches !== 0 ? [`PreArm: Vehicle breaching ${fenceNames(this.breaches)}`] : [];
  }

  /** check_destination_within_fence: GUIDED refuses a destination outside an enabled fence. */
  allows(v: SimVehicle, at: NE & { up: number }): boolean {
    const on = this.enabledFences(v);
    if ((on & FENCE_TYPE.ALT_MAX) && at.up > v.params.get("FENCE_ALT_MAX", 100)) return false;
    if ((on & FENCE_TYPE.CIRCLE) && this.homeDistance(v, at) > v.params.get("FENCE_RADIUS", 150)) return false;
    return !((on & FENCE_TYPE.POLYGON) && zoneBreach(at, this.zones) !== null);
  }

  /** set_mode calls this: a mode change during a breach is the pilot (or a failsafe) taking over. */
  manualRecoveryStart(v: SimVehicle, now: number): void {
    if (this.breaches === 0) return;
    this.recoveryStart = now;
    v.statusText(SEVERITY.INFO, "Manual recovery started");
  }

  /** fence_checks_async + fence_check, at 25 Hz. */
  check(v: SimVehicle, now: number): void {
    if (now - this.lastCheck < CHECK_INTERVAL_MS) return;
    this.lastCheck = now;
    const orig = this.breaches;
    const on = this.enabledFences(v);
    this.breaches &= on;
    this.bootMs = v.timeBootMs(now);
    this.episodeStarted = false;
    let fresh = on === 0 ? 0 : this.checkAltitude(v, on) | this.checkCircle(v, on) | this.checkZones(v, on);
    if (this.recoveryStart !== null) {
      if (now - this.recoveryStart < MANUAL_RECOVERY_MS) fresh = 0;
      else this.recoveryStart = null;
    }
    if (this.episodeStarted) {
      // record_breach asks for a FENCE_STATUS at once when a breach episode starts.
      const fields = this.statusFields(v);
      if (fields) v.send("FENCE_STATUS", fields);
    }
    if (!fresh && orig !== 0 && this.breaches === 0 && !v.phys.landed) {
      v.statusText(SEVERITY.NOTICE, "Fence breach cleared");
    }
    if (fresh && v.armed) this.act(v, fresh);
  }

  private record(type: number): number {
    if (this.breaches === 0) {
      this.breachTimeMs = this.bootMs;
      this.episodeStarted = true;
    }
    if (this.breachCount < MAX_BREACH_COUNT) this.breachCount++;
    this.breaches |= type;
    return type;
  }

  private checkAltitude(v: SimVehicle, on: number): number {
    if (!(on & FENCE_TYPE.ALT_MAX)) return 0;
    const max = v.params.get("FENCE_ALT_MAX", 100);
    const up = v.phys.up;
    this.distance.set(FENCE_TYPE.ALT_MAX, up - max);
    if (up >= max) {
      const fresh = !(this.breaches & FENCE_TYPE.ALT_MAX) || (this.altBackup !== 0 && up >= this.altBackup);
      if (!fresh) return 0;
      this.altBackup = up + BACKUP_M;
      return this.record(FENCE_TYPE.ALT_MAX);
    }
    this.breaches &= ~FENCE_TYPE.ALT_MAX;
    this.altBackup = 0;
    return 0;
  }

  private checkCircle(v: SimVehicle, on: number): number {
    if (!(on & FENCE_TYPE.CIRCLE)) return 0;
    const radius = v.params.get("FENCE_RADIUS", 150);
    const d = this.homeDistance(v, v.phys);
    this.distance.set(FENCE_TYPE.CIRCLE, d - radius);
    if (d >= radius) {
      const fresh = !(this.breaches & FENCE_TYPE.CIRCLE) || (this.circleBackup !== 0 && d >= this.circleBackup);
      if (!fresh) return 0;
      this.circleBackup = d + BACKUP_M;
      return this.record(FENCE_TYPE.CIRCLE);
    }
    this.breaches &= ~FENCE_TYPE.CIRCLE;
    this.circleBackup = 0;
    return 0;
  }

  private checkZones(v: SimVehicle, on: number): number {
    if (!(on & FENCE_TYPE.POLYGON)) return 0;
    const outside = zoneBreach(v.phys, this.zones);
    if (outside === null) {
      this.breaches &= ~FENCE_TYPE.POLYGON;
      return 0;
    }
    this.distance.set(FENCE_TYPE.POLYGON, outside);
    return this.breaches & FENCE_TYPE.POLYGON ? 0 : this.record(FENCE_TYPE.POLYGON);
  }

  private homeDistance(v: SimVehicle, at: NE): number {
    const home = v.home ? v.local(v.home.lat, v.home.lon) : { north: 0, east: 0 };
    return Math.hypot(at.north - home.north, at.east - home.east);
  }

  /** ArduCopter fence_check's response to fresh breaches. */
  private act(v: SimVehicle, fresh: number): void {
    if (!v.phys.landed) v.statusText(SEVERITY.NOTICE, `${fenceNames(fresh)} breached`);
    const action = v.params.get("FENCE_ACTION", 1);
    if (action === 0) return; // REPORT_ONLY
    if (v.phys.landed) {
      v.actions.doDisarm();
      return;
    }
    const farthest = Math.max(...NAMES.map(([bit]) => (fresh & bit ? this.distance.get(bit) ?? 0 : -Infinity)));
    if (farthest > GIVE_UP_M || action === 2) {
      v.setMode(MODE.LAND);
      return;
    }
    const order: Record<number, number[]> = { 3: [MODE.SMART_RTL, MODE.RTL], 4: [MODE.BRAKE], 5: [MODE.SMART_RTL] };
    for (const mode of order[action] ?? [MODE.RTL]) if (tryMode(v, mode)) return;
    v.setMode(MODE.LAND);
  }
}
