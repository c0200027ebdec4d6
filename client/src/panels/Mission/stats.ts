/**
 * Distance and flight-time estimate of a mission, as ArduCopter would fly it. An estimate for planning (battery,
 * time on scene), not a promise: wind, acceleration and WPNAV settings are not modelled.
 */
import type { LatLon, Mission } from "../../../../server/protocol";
import { distanceM } from "./geo";
import { hasPosition, kindOf } from "./kinds";

export interface FlightModel {
  /** Horizontal cruise speed until a DO_CHANGE_SPEED, m/s (ArduCopter WPNAV_SPEED default is 5 m/s). */
  cruiseMps: number;
  /** m/s (WPNAV_SPEED_UP default 2.5). */
  climbMps: number;
  /** m/s (WPNAV_SPEED_DN default 1.5). */
  descentMps: number;
  /** RTL climbs to at least this height above home before flying back (RTL_ALT default 15 m). */
  rtlAltitudeM: number;
}

export const DEFAULT_FLIGHT_MODEL: FlightModel = { cruiseMps: 5, climbMps: 2.5, descentMps: 1.5, rtlAltitudeM: 15 };

export interface MissionStats {
  /** Horizontal path length through the navigation items, metres (includes the RTL leg back home). */
  distanceM: number;
  /** Estimated seconds from take-off to the end of the mission (landing, when it lands). */
  timeS: number;
  /** Seconds spent holding (waypoint hold times and loiters), included in timeS. */
  holdS: number;
  /** Farthest planned position from home (or from the first position without home), metres. */
  maxDistanceFromStartM: number;
  maxAltitudeM: number;
  itemCount: number;
  /** Items that move the vehicle (take-off, waypoints, loiters, land, RTL). */
  navCount: number;
}

/** Time to fly `horizontal` metres while changing height by `vertical`: ArduCopter does both at once. */
function legTime(horizontal: number, vertical: number, speed: number, model: FlightModel): number {
  const h = speed > 0 ? horizontal / speed : 0;
  const v = vertical >= 0 ? vertical / model.climbMps : -vertical / model.descentMps;
  return Math.max(h, v);
}

export function missionStats(mission: Mission, model: FlightModel = DEFAULT_FLIGHT_MODEL): MissionStats {
  const home: LatLon | null = mission.home ? { lat: mission.home.lat, lon: mission.home.lon } : null;
  const first = mission.items.find(hasPosition);
  const start = home ?? (first ? { lat: first.lat, lon: first.lon } : null);
  // Altitudes are above home: the flight starts on the ground at home, or at the first item when home is unknown.
  let pos = start;
  let alt = home ? 0 : (first?.alt ?? 0);
  let speed = model.cruiseMps;
  const stats: MissionStats = { distanceM: 0, timeS: 0, holdS: 0, maxDistanceFromStartM: 0, maxAltitudeM: 0, itemCount: mission.items.length, navCount: 0 };

  const flyTo = (to: LatLon | null, toAlt: number) => {
    const d = pos && to ? distanceM(pos, to) : 0;
    stats.distanceM += d;
    stats.timeS += legTime(d, toAlt - alt, speed, model);
    if (to) pos = to;
    alt = toAlt;
    stats.maxAltitudeM = Math.max(stats.maxAltitudeM, alt);
    if (start && pos) stats.maxDistanceFromStartM = Math.max(stats.maxDistanceFromStartM, distanceM(start, pos));
  };
  const hold = (seconds: number | null) => {
    const s = seconds !== null && seconds > 0 ? seconds : 0;
    stats.holdS += s;
    stats.timeS += s;
  };

  for (const item of mission.items) {
    const kind = kindOf(item);
    const at = hasPosition(item) ? { lat: item.lat, lon: item.lon } : null;
    if (kind !== "speed" && kind !== "other") stats.navCount++;
    switch (kind) {
      case "takeoff":
        flyTo(null, Math.max(alt, item.alt));
        break;
      case "waypoint":
        flyTo(at, item.alt);
        hold(item.params[0]);
        break;
      case "loiter":
        flyTo(at, item.alt);
        hold(item.params[0]);
        break;
      case "land":
        // Flies to the landing point at its height, then descends.
        if (at) flyTo(at, alt);
        flyTo(null, 0);
        return stats;
      case "rtl":
        flyTo(null, Math.max(alt, model.rtlAltitudeM));
        flyTo(home, alt);
        flyTo(null, 0);
        return stats; // the vehicle lands at home: later items are never flown
      case "speed":
        if (item.params[1] !== null && item.params[1] > 0) speed = item.params[1];
        break;
      case "other":
        if (at) {
          stats.navCount++;
          flyTo(at, item.alt);
        }
        break;
    }
  }
  return stats;
}
