/**
 * Sample missions for simulated vehicles: read a .waypoints file, find its home, and move a whole mission to
 * another home, so several vehicles can fly the same pattern side by side instead of on top of each other.
 */
import type { MissionItem } from "../sim/mission/types";
import type { Home } from "./types";

const MAV_CMD_NAV_TAKEOFF = 22;

/** The mission's home (item 0, absolute altitude), or null for a file without one. */
export function missionHome(items: readonly MissionItem[]): Home | null {
  const home = items[0];
  if (home === undefined || home.seq !== 0 || (home.x === 0 && home.y === 0)) return null;
  return { lat: home.x / 1e7, lon: home.y / 1e7, altAmsl: home.z };
}

/**
 * The mission moved from `from` to `to`: every positioned item keeps its offset from home. Items without a
 * position (takeoff, RTL: x = y = 0) stay as they are, and so do relative altitudes; home's altitude is `to`'s.
 */
export function shiftMission(items: readonly MissionItem[], from: Home, to: Home): MissionItem[] {
  const dLat = Math.round((to.lat - from.lat) * 1e7);
  const dLon = Math.round((to.lon - from.lon) * 1e7);
  return items.map((item) => {
    const positioned = (item.x !== 0 || item.y !== 0) && item.command !== MAV_CMD_NAV_TAKEOFF;
    if (!positioned) return { ...item };
    return { ...item, x: item.x + dLat, y: item.y + dLon, z: item.seq === 0 ? to.altAmsl : item.z };
  });
}

/** Greatest distance in metres of any positioned item from home (for sanity checks and the missions README). */
export function missionRadiusM(items: readonly MissionItem[]): number {
  const home = missionHome(items);
  if (home === null) return 0;
  let max = 0;
  for (const item of items) {
    if (item.x === 0 && item.y === 0) continue;
    const north = (item.x / 1e7 - home.lat) * 111_320;
    const east = (item.y / 1e7 - home.lon) * 111_320 * Math.cos((home.lat * Math.PI) / 180);
    max = Math.max(max, Math.hypot(north, east));
  }
  return max;
}
