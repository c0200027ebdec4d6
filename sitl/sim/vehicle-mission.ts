/**
 * The vehicle as its mission server sees it: the MissionHost it is given, the server + AUTO executor built on it
 * (sitl/sim/mission's unless the options bring another, or none), and the fence list the server holds.
 */
import { MAV_MISSION_TYPE, MissionServer } from "./mission";
import type { MissionItem } from "./mission";
import { createMission } from "./mission-port";
import type { MissionHost, MissionPorts } from "./mission-port";
import type { SimVehicle } from "./vehicle";
import type { SimVehicleOptions } from "./vehicle-options";

export function buildMission(v: SimVehicle, build: SimVehicleOptions["mission"]): MissionPorts | null {
  const host: MissionHost = {
    send: (name, fields) => v.send(name, fields),
    statusText: (severity, text) => v.statusText(severity, text),
    now: () => v.now(),
    home: () => v.home,
    storageReady: () => v.boot.has("ready"),
  };
  const make = build === undefined
    ? (h: MissionHost) => createMission(h, () => v.params.get("WPNAV_RADIUS", 200) / 100)
    : build;
  return make?.(host) ?? null;
}

/** Whether a message the mission server handled changed the fence list. */
export function touchesFence(missionType: unknown): boolean {
  return missionType === MAV_MISSION_TYPE.FENCE || missionType === MAV_MISSION_TYPE.ALL;
}

/** The fence list as the mission server holds it (only the built-in one keeps fences). */
export function fenceItems(mission: MissionPorts | null): MissionItem[] {
  const server = mission?.server;
  return server instanceof MissionServer ? server.items(MAV_MISSION_TYPE.FENCE) : [];
}
