import type { VehicleKey, VehicleState } from "../protocol";
import { vehicleKey } from "../protocol";

export { STATUS_TEXT_LIMIT } from "../protocol";

export interface VehicleIdentity {
  sysid: number;
  compid: number;
}

/** A vehicle as first seen, before any telemetry has arrived: everything unknown. */
export function emptyVehicle({ sysid, compid }: VehicleIdentity, time: number): VehicleState {
  const key: VehicleKey = vehicleKey(sysid, compid);
  return {
    key,
    sysid,
    compid,
    vehicleClass: "other",
    mavType: 0,
    autopilot: "unknown",
    firmware: null,
    mode: "UNKNOWN",
    customMode: 0,
    armed: false,
    armedSince: null,
    systemStatus: "unknown",
    position: null,
    heading: null,
    groundSpeed: null,
    airSpeed: null,
    climb: null,
    attitude: null,
    battery: { voltage: null, current: null, remaining: null, consumedMah: null },
    gps: { fix: "none", satellites: null, hdop: null },
    ekfHealthy: null,
    ekfFlags: null,
    home: null,
    mission: null,
    statusTexts: [],
    link: {
      state: "ok",
      heartbeatAgeMs: 0,
      lastHeartbeat: time,
      packetsReceived: 0,
      packetsLost: 0,
      lossRatio: 0,
      bytesPerSecond: 0,
      links: [],
    },
    lastUpdate: time,
  };
}
