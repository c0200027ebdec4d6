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

export function gpsEpisode(key: VehicleKey, tuning: AlertTuning) {
  return new Episode<GpsWorst>(key, {
    rule: "gps_lost",
    severity: "warning",
    raiseAfterMs: 0,
    clearAfterMs: tuning.clearAfterMs,
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

export function ekfEpisode(key: VehicleKey, tuning: AlertTuning) {
  return new Episode<number | null>(key, {
    rule: "ekf_unhealthy",
    severity: "warning",
    raiseAfterMs: tuning.ekfAfterMs,
    clearAfterMs: tuning.clearAfterMs,
    // The flags of the first bad report: later ones in the same episode add little.
    worse: (a) => a,
    text: (flags) => "EKF unhealthy: attitude, velocity or position estimate not trusted"
      + (flags === null ? "" : ` (flags 0x${flags.toString(16)})`),
  });
}

export function readEkf(v: VehicleState): Reading<number | null> | null {
  if (!v.armed) return NOT_FLYING;
  if (v.ekfHealthy === null) return null;
  return v.ekfHealthy ? { raise: false, clear: true } : { raise: true, clear: false, value: v.ekfFlags };
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
