// Test data for the alert rules (only tests import this): an ArduCopter in GUIDED, armed, hovering 30 m above
// home near Bristol, healthy. Values as the reducer produces them from real telemetry (see ../shared/fixtures).
import type { VehicleState } from "../../../server/protocol";

export const T0 = Date.parse("2025-06-01T10:00:00Z");
export const HOME = { lat: 51.4545, lon: -2.5879, altAmsl: 40 };
/** Metres per degree of latitude on turf's sphere. */
const M_PER_DEG_LAT = 111_195;

export function copter(overrides: Partial<VehicleState> = {}): VehicleState {
  return {
    key: "1:1",
    sysid: 1,
    compid: 1,
    vehicleClass: "copter",
    mavType: 2,
    autopilot: "ardupilotmega",
    firmware: "ArduCopter V4.7.0-dev",
    mode: "GUIDED",
    customMode: 4,
    armed: true,
    armedSince: T0 - 60_000,
    systemStatus: "active",
    position: { lat: HOME.lat, lon: HOME.lon, altAmsl: HOME.altAmsl + 30, altRelative: 30 },
    heading: 90,
    groundSpeed: 0.2,
    airSpeed: 0.1,
    climb: 0,
    attitude: { roll: 0.01, pitch: -0.02, yaw: Math.PI / 2 },
    battery: { voltage: 16.1, current: 14.2, remaining: 76, consumedMah: 1200 },
    gps: { fix: "3d", satellites: 14, hdop: 0.7 },
    ekfHealthy: true,
    ekfFlags: 0x33f,
    home: { ...HOME },
    mission: null,
    statusTexts: [],
    link: {
      state: "ok", heartbeatAgeMs: 300, lastHeartbeat: T0, packetsReceived: 12_000, packetsLost: 3,
      lossRatio: 3 / 12_003, bytesPerSecond: 2900, links: ["link1"],
    },
    lastUpdate: T0,
    ...overrides,
  };
}

export function withBattery(v: VehicleState, remaining: number | null, voltage: number | null = v.battery.voltage): VehicleState {
  return { ...v, battery: { ...v.battery, remaining, voltage } };
}

export function atAltitude(v: VehicleState, altRelative: number): VehicleState {
  if (!v.position || !v.home) throw new Error("vehicle has no position");
  return { ...v, position: { ...v.position, altRelative, altAmsl: v.home.altAmsl + altRelative } };
}

/** `north` and `east` metres from home, at the current altitude. */
export function offsetFromHome(v: VehicleState, north: number, east = 0): VehicleState {
  if (!v.position || !v.home) throw new Error("vehicle has no position");
  const lat = v.home.lat + north / M_PER_DEG_LAT;
  const lon = v.home.lon + east / (M_PER_DEG_LAT * Math.cos((v.home.lat * Math.PI) / 180));
  return { ...v, position: { ...v.position, lat, lon } };
}

/** A point `north`/`east` metres from home, for fences. */
export function pointFromHome(north: number, east = 0): { lat: number; lon: number } {
  return {
    lat: HOME.lat + north / M_PER_DEG_LAT,
    lon: HOME.lon + east / (M_PER_DEG_LAT * Math.cos((HOME.lat * Math.PI) / 180)),
  };
}
