/**
 * ArduPilot flight modes: HEARTBEAT custom_mode <-> name, per vehicle type (names as ArduPilot itself prints
 * them). Sources: ArduPilot's Copter/Plane/Rover/Sub mode enums (also in mavlink-mappings' ardupilotmega
 * COPTER_MODE, PLANE_MODE, ROVER_MODE, SUB_MODE, which modes.test.ts compares against).
 */
import type { VehicleClass } from "../protocol";

export type ModeTable = ReadonlyMap<number, string>;

function table(entries: Record<number, string>): ModeTable {
  return new Map(Object.entries(entries).map(([n, name]) => [Number(n), name]));
}

export const COPTER_MODES: ModeTable = table({
  0: "STABILIZE", 1: "ACRO", 2: "ALT_HOLD", 3: "AUTO", 4: "GUIDED", 5: "LOITER", 6: "RTL", 7: "CIRCLE",
  9: "LAND", 11: "DRIFT", 13: "SPORT", 14: "FLIP", 15: "AUTOTUNE", 16: "POSHOLD", 17: "BRAKE", 18: "THROW",
  19: "AVOID_ADSB", 20: "GUIDED_NOGPS", 21: "SMART_RTL", 22: "FLOWHOLD", 23: "FOLLOW", 24: "ZIGZAG",
  25: "SYSTEMID", 26: "AUTOROTATE", 27: "AUTO_RTL", 28: "TURTLE",
});

export const PLANE_MODES: ModeTable = table({
  0: "MANUAL", 1: "CIRCLE", 2: "STABILIZE", 3: "TRAINING", 4: "ACRO", 5: "FBWA", 6: "FBWB", 7: "CRUISE",
  8: "AUTOTUNE", 10: "AUTO", 11: "RTL", 12: "LOITER", 13: "TAKEOFF", 14: "AVOID_ADSB", 15: "GUIDED",
  16: "INITIALISING", 17: "QSTABILIZE", 18: "QHOVER", 19: "QLOITER", 20: "QLAND", 21: "QRTL", 22: "QAUTOTUNE",
  23: "QACRO", 24: "THERMAL", 25: "LOITER_ALT_QLAND", 26: "AUTOLAND",
});

/** ArduRover drives both rovers and boats. */
export const ROVER_MODES: ModeTable = table({
  0: "MANUAL", 1: "ACRO", 3: "STEERING", 4: "HOLD", 5: "LOITER", 6: "FOLLOW", 7: "SIMPLE", 8: "DOCK",
  9: "CIRCLE", 10: "AUTO", 11: "RTL", 12: "SMART_RTL", 15: "GUIDED", 16: "INITIALISING",
});

export const SUB_MODES: ModeTable = table({
  0: "STABILIZE", 1: "ACRO", 2: "ALT_HOLD", 3: "AUTO", 4: "GUIDED", 7: "CIRCLE", 9: "SURFACE", 16: "POSHOLD",
  19: "MANUAL", 20: "MOTOR_DETECT", 21: "SURFTRAK",
});

export function modeTable(vehicleClass: VehicleClass): ModeTable | null {
  switch (vehicleClass) {
    case "copter": return COPTER_MODES;
    case "plane": return PLANE_MODES;
    case "rover":
    case "boat": return ROVER_MODES;
    case "sub": return SUB_MODES;
    case "other": return null;
  }
}

/** "GUIDED", or "MODE(n)" when the vehicle class has no table or the number is not in it. */
export function modeName(vehicleClass: VehicleClass, customMode: number): string {
  return modeTable(vehicleClass)?.get(customMode) ?? `MODE(${customMode})`;
}

/** The custom_mode for a mode name (case-insensitive; "MODE(n)" gives n back), or null if unknown. */
export function modeNumber(vehicleClass: VehicleClass, name: string): number | null {
  const wanted = name.trim().toUpperCase();
  const raw = /^MODE\((\d+)\)$/.exec(wanted);
  if (raw?.[1] !== undefined) return Number(raw[1]);
  for (const [n, mode] of modeTable(vehicleClass) ?? []) if (mode === wanted) return n;
  return null;
}

/** Mode names a vehicle class can be switched to, in custom_mode order (for pickers). */
export function modeNames(vehicleClass: VehicleClass): string[] {
  return [...(modeTable(vehicleClass)?.values() ?? [])];
}
