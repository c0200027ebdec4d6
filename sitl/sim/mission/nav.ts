/**
 * What one mission command asks of the vehicle in AUTO, and when it is done: the per-command half of ArduCopter's
 * ModeAuto (do_nav_wp / verify_nav_wp, do_takeoff / verify_takeoff, ...), without its controllers.
 */
import { CMD, MAV_FRAME } from "./types";
import type { MissionItem } from "./types";

/** The vehicle as the executor sees it: degrees, metres above home, m/s. */
export interface NavState {
  lat: number;
  lon: number;
  altRelative: number;
  groundSpeed: number;
  landed: boolean;
  armed: boolean;
}

/** What the vehicle should do now. lat/lon in degrees, altitudes in metres above home. */
export type NavTarget =
  | { kind: "takeoff"; altRelative: number }
  | { kind: "goto"; lat: number; lon: number; altRelative: number }
  | { kind: "loiter"; lat: number; lon: number; altRelative: number }
  | { kind: "land"; lat: number; lon: number }
  | { kind: "rtl" }
  | { kind: "done" };

/** The running nav command: where it started (for items that say "here") and since when it has been holding. */
export interface ActiveCommand {
  seq: number;
  anchor: { lat: number; lon: number; altRelative: number } | null;
  holdSinceMs: number | null;
}

const EARTH_RADIUS_M = 6_371_000;

export function distanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Altitude above home of an item: absolute frames are converted with home's AMSL altitude. */
function relativeAlt(item: MissionItem, homeAltAmsl: number): number {
  const absolute = item.frame === MAV_FRAME.GLOBAL || item.frame === MAV_FRAME.GLOBAL_INT;
  return absolute ? item.z - homeAltAmsl : item.z;
}

/** Copter's loc_from_cmd: lat/lon 0,0 means "where the command started", altitude 0 means "the current one". */
function position(item: MissionItem, cmd: ActiveCommand, homeAltAmsl: number): { lat: number; lon: number; altRelative: number } {
  const here = cmd.anchor!;
  const noPosition = item.x === 0 && item.y === 0;
  return {
    lat: noPosition ? here.lat : item.x / 1e7,
    lon: noPosition ? here.lon : item.y / 1e7,
    altRelative: item.z === 0 ? here.altRelative : relativeAlt(item, homeAltAmsl),
  };
}

export function targetOf(item: MissionItem, cmd: ActiveCommand, nav: NavState, homeAltAmsl: number): NavTarget {
  cmd.anchor ??= { lat: nav.lat, lon: nav.lon, altRelative: nav.altRelative };
  switch (item.command) {
    case CMD.NAV_TAKEOFF: return { kind: "takeoff", altRelative: relativeAlt(item, homeAltAmsl) };
    case CMD.NAV_WAYPOINT: return { kind: "goto", ...position(item, cmd, homeAltAmsl) };
    case CMD.NAV_LOITER_UNLIM:
    case CMD.NAV_LOITER_TURNS:
    case CMD.NAV_LOITER_TIME: return { kind: "loiter", ...position(item, cmd, homeAltAmsl) };
    case CMD.NAV_LAND: {
      const p = position(item, cmd, homeAltAmsl);
      return { kind: "land", lat: p.lat, lon: p.lon };
    }
    case CMD.NAV_RETURN_TO_LAUNCH: return { kind: "rtl" };
    default: return { kind: "loiter", ...cmd.anchor };
  }
}

export interface ReachOptions {
  acceptanceRadiusM: number;
  /** How close to the takeoff altitude counts as there. */
  takeoffMarginM: number;
}

/** Seconds to hold once there: param1 of WAYPOINT (hold time) and LOITER_TIME; ArduPilot counts whole seconds. */
function held(item: MissionItem, cmd: ActiveCommand, now: number): boolean {
  cmd.holdSinceMs ??= now;
  return Math.floor((now - cmd.holdSinceMs) / 1000) >= Math.max(0, item.param1);
}

export function reached(item: MissionItem, cmd: ActiveCommand, target: NavTarget, nav: NavState, now: number, opts: ReachOptions): boolean {
  switch (target.kind) {
    case "takeoff": return nav.altRelative >= target.altRelative - opts.takeoffMarginM;
    // AUTO's RTL and LAND items end only on the ground (the recording's RTL item is reached at touchdown).
    case "land":
    case "rtl": return nav.landed;
    case "done": return true;
    case "goto":
    case "loiter": {
      if (item.command === CMD.NAV_LOITER_UNLIM) return false;
      const horizontal = distanceM(nav.lat, nav.lon, target.lat, target.lon);
      const there = Math.hypot(horizontal, nav.altRelative - target.altRelative) <= opts.acceptanceRadiusM;
      if (!there && cmd.holdSinceMs === null) return false;
      if (item.command === CMD.NAV_LOITER_TURNS) return true;
      return held(item, cmd, now);
    }
  }
}
