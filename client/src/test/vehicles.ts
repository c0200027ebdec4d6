// Test data builders shared by the client tests (not bundled: only tests import this).
import type { Snapshot, VehicleFrame, VehicleState } from "../../../server/protocol";

export const T0 = 1_700_000_000_000;

export function makeVehicle(sysid: number, overrides: Partial<VehicleState> = {}, compid = 1): VehicleState {
  return {
    key: `${sysid}:${compid}`,
    sysid,
    compid,
    vehicleClass: "copter",
    mavType: 2,
    autopilot: "ardupilotmega",
    firmware: "ArduCopter V4.5.7",
    mode: "GUIDED",
    customMode: 4,
    armed: true,
    armedSince: T0 - 60_000,
    systemStatus: "active",
    position: { lat: 52.52 + sysid * 0.001, lon: 13.405, altAmsl: 64, altRelative: 30 },
    heading: 90,
    groundSpeed: 5.2,
    airSpeed: null,
    climb: 0.4,
    attitude: { roll: 0, pitch: 0, yaw: Math.PI / 2 },
    battery: { voltage: 15.8, current: 12.3, remaining: 76, consumedMah: 800 },
    gps: { fix: "3d", satellites: 14, hdop: 0.8 },
    ekfHealthy: true,
    ekfFlags: 0x1ff,
    home: { lat: 52.52, lon: 13.404, altAmsl: 34 },
    mission: null,
    statusTexts: [],
    link: {
      state: "ok",
      heartbeatAgeMs: 200,
      lastHeartbeat: T0,
      packetsReceived: 1000,
      packetsLost: 5,
      lossRatio: 5 / 1005,
      bytesPerSecond: 2400,
      links: ["udp0"],
    },
    lastUpdate: T0,
    ...overrides,
  };
}

/** Moves a vehicle north by `metres` (about 111 km per degree of latitude). */
export function moved(v: VehicleState, metres: number, time = v.lastUpdate + 100): VehicleState {
  if (!v.position) throw new Error("vehicle has no position");
  return { ...v, position: { ...v.position, lat: v.position.lat + metres / 111_195 }, lastUpdate: time };
}

export function snapshotOf(vehicles: VehicleState[], time = T0): Snapshot {
  return { time, vehicles, links: [], trails: {} };
}

export function frameOf(vehicles: VehicleState[], seq: number, time = T0 + seq * 100): VehicleFrame {
  return { time, seq, vehicles };
}
