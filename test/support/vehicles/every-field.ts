/**
 * Test data (tests only): two vehicles with every field of VehicleState set, optional ones included, and differing in
 * every field but the key. `Required<>` makes the compiler refuse this file when a field is added to VehicleState and
 * not here; the tests that use them (copyVehicle, FrameDeltas) then check the new field is copied and sent.
 */
import type { VehicleState } from "../../../server/protocol";

export const EVERY_FIELD: Required<VehicleState> = {
  key: "7:1", sysid: 7, compid: 1, vehicleClass: "copter", mavType: 2, autopilot: "ardupilotmega", firmware: "4.5.7",
  mode: "GUIDED", customMode: 4, armed: true, armedSince: 1_000, systemStatus: "active",
  position: { lat: 51.5, lon: -0.12, altAmsl: 80, altRelative: 30 }, heading: 90, groundSpeed: 5, airSpeed: 5.2, climb: 0.5,
  attitude: { roll: 0.1, pitch: -0.1, yaw: 1.5 }, battery: { voltage: 15.2, current: 12, remaining: 71, consumedMah: 900 },
  gps: { fix: "3d", satellites: 14, hdop: 0.8 }, ekfHealthy: true, ekfFlags: 0x3ff, batteryState: "ok",
  fence: { breached: false, breachCount: 0, breachType: "none" }, sensorsUnhealthy: ["GEOFENCE"],
  home: { lat: 51.49, lon: -0.13, altAmsl: 50 }, mission: { current: 2, total: 5, reached: [1], state: "active" },
  statusTexts: [{ time: 900, severity: "info", text: "EKF3 IMU0 is using GPS" }],
  link: { state: "ok", heartbeatAgeMs: 200, lastHeartbeat: 1_800, packetsReceived: 500, packetsLost: 2, lossRatio: 0.004, bytesPerSecond: 1_200, links: ["udp"] },
  lastUpdate: 2_000,
};

export const EVERY_FIELD_OTHER: Required<VehicleState> = {
  key: "7:1", sysid: 8, compid: 2, vehicleClass: "plane", mavType: 1, autopilot: "px4", firmware: "4.6.0",
  mode: "RTL", customMode: 6, armed: false, armedSince: null, systemStatus: "critical",
  position: { lat: 51.6, lon: -0.2, altAmsl: 90, altRelative: 40 }, heading: 180, groundSpeed: 7.25, airSpeed: 8.5, climb: -1.25,
  attitude: { roll: -0.2, pitch: 0.2, yaw: -1.5 }, battery: { voltage: 14.1, current: 20, remaining: 40, consumedMah: 2_100 },
  gps: { fix: "rtk_fixed", satellites: 20, hdop: 0.5 }, ekfHealthy: false, ekfFlags: 0x1, batteryState: "low",
  fence: { breached: true, breachCount: 1, breachType: "boundary" }, sensorsUnhealthy: ["BATTERY", "GEOFENCE"],
  home: { lat: 51.48, lon: -0.14, altAmsl: 51 }, mission: { current: 3, total: 5, reached: [1, 2], state: "active" },
  statusTexts: [{ time: 950, severity: "warning", text: "Fence breached" }],
  link: { state: "lost", heartbeatAgeMs: 6_000, lastHeartbeat: 1_000, packetsReceived: 900, packetsLost: 9, lossRatio: 0.01, bytesPerSecond: 0, links: ["udp", "lte"] },
  lastUpdate: 7_000,
};
