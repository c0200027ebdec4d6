import { distance } from "@turf/distance";
import type { GpsFix, VehicleKey, VehicleState } from "../protocol";
import type { AlertConfig } from "../config";
import { Episode, minOf } from "./episode";
import type { Reading } from "./episode";
import type { AlertTuning } from "./tuning";

/**
 * Rules that only mean something in flight (armed): GPS fix, EKF health, altitude and distance from home. On the
 * ground these conditions are normal (no fix yet at boot, EKF not yet using GPS) and ArduPilot's PreArm texts
 * already say so; disarming ends their episodes (the condition no longer applies).
 */
const NOT_FLYING = { raise: false, clear: true } as const;

const FIX_RANK: Record<GpsFix, number> = {
  none: 0, no_fix: 1, "2d": 2, "3d": 3, dgps: 4, rtk_float: 5, rtk_fixed: 6, static: 3, ppp: 4,
};
const FIX_WORDS: Record<GpsFix, string> = {
  none: "no GPS", no_fix: "no fix", "2d": "2D fix", "3d": "3D fix", dgps: "DGPS fix", rtk_float: "RTK float",
  rtk_fixed: "RTK fixed", static: "static fix", ppp: "PPP fix",
};

export function has3dFix(fix: GpsFix): boolean {
  return FIX_RANK[fix] >= FIX_RANK["3d"];
}

interface GpsWorst {
  fix: GpsFix;
  satellites: number | null;
}

/** Losing the fix in flight takes away position hold and return home: critical, as ArduPilot's EKF failsafe follows. */
export function gpsEpisode(key: VehicleKey, tuning: AlertTuning) {
  return new Episode<GpsWorst>(key, {
    rule: "gps_lost",
    severity: "critical",
    raiseAfterMs: 0,
    clearAfterMs: tuning.vehicleClearMs,
    worse: (a, b) => ({ fix: FIX_RANK[b.fix] < FIX_RANK[a.fix] ? b.fix : a.fix, satellites: minOf(a.satellites, b.satellites) }),
    text: (w) => `GPS fix lost: ${FIX_WORDS[w.fix]}${w.satellites === null ? "" : `, ${w.satellites} satellites`} (3D fix needed)`,
  });
}

/**
 * Decided: GPS loss is raised while armed, and only for a vehicle that has had a 3D fix since the server first
 * heard it (`hadFix`), so a vehicle flown without GPS (indoors, STABILIZE) is not in a permanent alert.
 */
export function readGps(v: VehicleState, hadFix: boolean): Reading<GpsWorst> {
  if (!v.armed || !hadFix) return NOT_FLYING;
  const value = { fix: v.gps.fix, satellites: v.gps.satellites };
  return has3dFix(v.gps.fix) ? { raise: false, clear: true, value } : { raise: true, clear: false, value };
}

/** EKF_STATUS_REPORT flags the EKF needs to hold and return to a position (EKF_ATTITUDE, _VELOCITY_HORIZ, _POS_HORIZ_ABS). */
const EKF_POSITION_NEEDS = [[0x01, "no attitude"], [0x02, "no horizontal velocity"], [0x10, "no horizontal position"]] as const;
/** EKF_CONST_POS_MODE: the EKF holds a constant position for want of any aiding (GPS gone). */
const EKF_CONST_POS_MODE = 0x80;

/** What the EKF reports it has lost, in words ([] when it can navigate). */
export function ekfLosses(flags: number | null): string[] {
  if (flags === null) return [];
  const lost: string[] = EKF_POSITION_NEEDS.filter(([bit]) => (flags & bit) === 0).map(([, name]) => name);
  if (flags & EKF_CONST_POS_MODE) lost.push("constant position mode (no aiding)");
  return lost;
}

export function ekfPositionLost(flags: number | null): boolean {
  return ekfLosses(flags).length > 0;
}

/** Whether the EKF reports a horizontal position it trusts (the rule only watches a vehicle that once had one). */
export function ekfHasPosition(flags: number | null): boolean {
  return flags !== null && !ekfPositionLost(flags);
}

interface EkfWorst {
  flags: number;
  lost: string[];
}

export function ekfEpisode(key: VehicleKey, tuning: AlertTuning) {
  return new Episode<EkfWorst>(key, {
    rule: "ekf_unhealthy",
    severity: "critical",
    raiseAfterMs: tuning.ekfAfterMs,
    clearAfterMs: tuning.vehicleClearMs,
    worse: (a, b) => ({ flags: b.flags, lost: [...a.lost, ...b.lost.filter((l) => !a.lost.includes(l))] }),
    text: (w) => `EKF position lost: ${w.lost.join(", ")} (flags 0x${w.flags.toString(16)})`,
  });
}

/**
 * EKF position loss and regain from EKF_STATUS_REPORT's flags, while armed, for a vehicle whose EKF has had a
 * position since the server heard it (one flown without GPS never has one: no permanent alert).
 */
export function readEkf(v: VehicleState, hadPosition: boolean): Reading<EkfWorst> | null {
  if (!v.armed || !hadPosition) return NOT_FLYING;
  if (v.ekfFlags === null) return null;
  const lost = ekfLosses(v.ekfFlags);
  return lost.length > 0 ? { raise: true, clear: false, value: { flags: v.ekfFlags, lost } } : { raise: false, clear: true };
}

export function altitudeEpisode(key: VehicleKey, config: AlertConfig, tuning: AlertTuning) {
  return new Episode<number>(key, {
    rule: "altitude_limit",
    severity: "warning",
    raiseAfterMs: 0,
    clearAfterMs: tuning.clearAfterMs,
    worse: Math.max,
    text: (alt) => `Altitude ${Math.round(alt)} m above take-off (limit ${config.altitudeLimit} m)`,
  });
}

export function readAltitude(v: VehicleState, config: AlertConfig, tuning: AlertTuning): Reading<number> | null {
  if (!v.armed) return NOT_FLYING;
  if (v.position === null) return null;
  const alt = v.position.altRelative;
  if (alt > config.altitudeLimit) return { raise: true, clear: false, value: alt };
  return { raise: false, clear: alt <= config.altitudeLimit - tuning.altitudeClearM, value: alt };
}

export function vlosEpisode(key: VehicleKey, config: AlertConfig, tuning: AlertTuning) {
  return new Episode<number>(key, {
    rule: "vlos_distance",
    severity: "warning",
    raiseAfterMs: 0,
    clearAfterMs: tuning.clearAfterMs,
    worse: Math.max,
    text: (m) => `Distance from home ${Math.round(m)} m (visual line of sight limit ${config.vlosRadius} m)`,
  });
}

/** Horizontal distance from home, metres. */
export function distanceFromHome(v: VehicleState): number | null {
  if (v.position === null || v.home === null) return null;
  return distance([v.home.lon, v.home.lat], [v.position.lon, v.position.lat], { units: "meters" });
}

export function readVlos(v: VehicleState, config: AlertConfig, tuning: AlertTuning): Reading<number> | null {
  if (!v.armed) return NOT_FLYING;
  const m = distanceFromHome(v);
  if (m === null) return null;
  if (m > config.vlosRadius) return { raise: true, clear: false, value: m };
  return { raise: false, clear: m <= config.vlosRadius - tuning.vlosClearM, value: m };
}
