import type { Battery, BatteryChargeState, FenceBreachType, MissionState, VehicleState } from "../protocol";
import type { MavMessage } from "../mavlink";
import { appendStatusTexts, copyVehicle } from "../protocol";

/** Missions loop (DO_JUMP, repeated AUTO): keep the recent reports only. */
const REACHED_LIMIT = 100;
/** FENCE_STATUS breach_type (FENCE_BREACH); an unknown value is taken as the boundary. */
const FENCE_BREACH: Record<number, FenceBreachType> = { 0: "none", 1: "min_alt", 2: "max_alt", 3: "boundary" };
const MISSION_STATES: Record<number, MissionState> = {
  0: "unknown", 1: "no_mission", 2: "not_started", 3: "active", 4: "paused", 5: "complete",
};

/**
 * The vehicle state reducer: a pure function of (state, message, time).
 * Returns the same object when the message changes nothing, so callers can tell "changed" by identity.
 * Link health (sequence gaps, bytes/s, lost/regained) is not here: see health.ts.
 */
export function reduceVehicle(state: VehicleState, message: MavMessage, time: number): VehicleState {
  // Each case copies the state (copyVehicle, not a spread: it runs for every packet) and sets what the message says.
  switch (message.kind) {
    case "heartbeat": {
      if (!message.isVehicle) return state;
      const n = copyVehicle(state);
      n.vehicleClass = message.vehicleClass;
      n.mavType = message.mavType;
      n.autopilot = message.autopilot;
      n.mode = message.mode;
      n.customMode = message.customMode;
      n.armed = message.armed;
      n.armedSince = message.armed ? (state.armed ? state.armedSince : time) : null;
      n.systemStatus = message.systemStatus;
      n.link = { ...state.link, lastHeartbeat: time, heartbeatAgeMs: 0 };
      n.lastUpdate = time;
      return n;
    }
    case "globalPosition": {
      const n = copyVehicle(state);
      // ArduPilot sends GLOBAL_POSITION_INT with lat = lon = 0 until it has a position estimate: not a place.
      if (message.lat !== 0 || message.lon !== 0) {
        n.position = { lat: message.lat, lon: message.lon, altAmsl: message.altAmsl, altRelative: message.altRelative };
      }
      n.heading = message.heading ?? state.heading;
      n.groundSpeed = Math.hypot(message.vn, message.ve);
      n.climb = -message.vd;
      n.lastUpdate = time;
      return n;
    }
    case "attitude": {
      const n = copyVehicle(state);
      n.attitude = { roll: message.roll, pitch: message.pitch, yaw: message.yaw };
      n.lastUpdate = time;
      return n;
    }
    case "vfrHud": {
      const n = copyVehicle(state);
      n.airSpeed = message.airSpeed;
      // GLOBAL_POSITION_INT is the primary source of ground speed, climb and heading; VFR_HUD fills gaps.
      if (!state.position) {
        n.groundSpeed = message.groundSpeed;
        n.climb = message.climb;
      }
      // The same AHRS yaw as GLOBAL_POSITION_INT's heading, truncated to whole degrees (ArduPilot sends yaw_sensor / 100):
      // it refreshes the heading only when it says another degree. Otherwise the finer heading stays, instead of the
      // two messages moving it back and forth by under a degree at every packet (a change for every screen each time).
      if (state.heading === null || Math.floor(state.heading) !== message.heading) n.heading = message.heading;
      n.lastUpdate = time;
      return n;
    }
    case "gpsRaw":
      return withField(state, "gps", { fix: message.fix, satellites: message.satellites, hdop: message.hdop }, time);
    case "sysStatus":
      return withBattery(withSensors(state, message.unhealthy, time), {
        voltage: message.voltage,
        current: message.current,
        remaining: message.remaining,
        consumedMah: state.battery.consumedMah,
      }, time);
    case "batteryStatus":
      // Battery 0 is the flight battery; other instances are not mixed into the summary.
      if (message.id !== 0) return state;
      return withBattery(withChargeState(state, message.chargeState, time), {
        voltage: message.voltage ?? state.battery.voltage,
        current: message.current ?? state.battery.current,
        remaining: message.remaining ?? state.battery.remaining,
        consumedMah: message.consumedMah,
      }, time);
    case "statusText": {
      return withField(state, "statusTexts", appendStatusTexts(state.statusTexts, [{ time, severity: message.severity, text: message.text }]), time);
    }
    case "homePosition":
      return withField(state, "home", { lat: message.lat, lon: message.lon, altAmsl: message.altAmsl }, time);
    case "missionCurrent": {
      const mission = state.mission;
      const missionState = message.missionState === null ? null : MISSION_STATES[message.missionState] ?? "unknown";
      if (mission && mission.current === message.seq && mission.total === message.total && mission.state === missionState) return state;
      // A new run (active again after complete, or back to an earlier item while active) or another mission:
      // what was reached belongs to the previous run.
      const restarted = !mission || message.total !== mission.total
        || (missionState === "active" && (mission.state === "complete" || message.seq < mission.current));
      return withField(state, "mission", { current: message.seq, total: message.total, reached: restarted ? [] : mission.reached, state: missionState }, time);
    }
    case "missionItemReached": {
      const mission = state.mission ?? { current: message.seq, total: null, reached: [], state: null };
      if (mission.reached[mission.reached.length - 1] === message.seq) return state;
      const reached = [...mission.reached, message.seq];
      return withField(state, "mission", { ...mission, reached: reached.length > REACHED_LIMIT ? reached.slice(-REACHED_LIMIT) : reached }, time);
    }
    case "ekfStatus": {
      if (state.ekfFlags === message.flags) return state;
      const n = copyVehicle(state);
      n.ekfFlags = message.flags;
      n.ekfHealthy = message.healthy;
      n.lastUpdate = time;
      return n;
    }
    case "autopilotVersion":
      if (state.firmware === message.firmware) return state;
      return withField(state, "firmware", message.firmware, time);
    case "fenceStatus": {
      const fence = { breached: message.breachStatus !== 0, breachCount: message.breachCount, breachType: FENCE_BREACH[message.breachType] ?? "boundary" };
      const f = state.fence;
      if (f && f.breached === fence.breached && f.breachCount === fence.breachCount && f.breachType === fence.breachType) return state;
      return withField(state, "fence", fence, time);
    }
    // Protocol exchanges (commands, mission transfers) are followed by their clients, not kept in the state.
    case "commandAck":
    case "missionCount":
    case "missionRequest":
    case "missionItem":
    case "missionAck":
    case "other":
      return state;
  }
}

function withSensors(state: VehicleState, unhealthy: string[], time: number): VehicleState {
  const was = state.sensorsUnhealthy;
  if (was && was.length === unhealthy.length && was.every((name, i) => name === unhealthy[i])) return state;
  return withField(state, "sensorsUnhealthy", unhealthy, time);
}

function withChargeState(state: VehicleState, chargeState: BatteryChargeState | null, time: number): VehicleState {
  // Not reported (older firmware, truncated field): keep what is known.
  if (chargeState === null || state.batteryState === chargeState) return state;
  return withField(state, "batteryState", chargeState, time);
}

function withBattery(state: VehicleState, next: Battery, time: number): VehicleState {
  const b = state.battery;
  if (next.voltage === b.voltage && next.current === b.current && next.remaining === b.remaining
    && next.consumedMah === b.consumedMah) return state;
  return withField(state, "battery", next, time);
}

/** A copy of the state with one field set, as of `time` (most messages set one field). */
function withField<K extends keyof VehicleState>(state: VehicleState, key: K, value: VehicleState[K], time: number): VehicleState {
  const n = copyVehicle(state);
  n[key] = value;
  n.lastUpdate = time;
  return n;
}
