import type { VehicleClass } from "../../../../server/protocol";

/*
 * The modes a pilot may pick, per vehicle class: a short list of the ones used on police flights, not every
 * mode the firmware has (server/mavlink/modes.ts has the full tables; the client may not import it).
 * Names are ArduPilot's own, as the server expects them in setMode.
 */
const COPTER = ["STABILIZE", "ALT_HOLD", "LOITER", "POSHOLD", "GUIDED", "AUTO", "RTL", "SMART_RTL", "LAND", "BRAKE", "CIRCLE"];
const PLANE = ["MANUAL", "FBWA", "FBWB", "CRUISE", "LOITER", "GUIDED", "AUTO", "RTL", "QLOITER", "QLAND", "QRTL"];
/** ArduRover drives rovers and boats alike. */
const ROVER = ["MANUAL", "HOLD", "LOITER", "GUIDED", "AUTO", "RTL", "SMART_RTL"];
const SUB = ["STABILIZE", "ALT_HOLD", "POSHOLD", "GUIDED", "AUTO", "SURFACE", "MANUAL"];

/** The modes offered for a class; empty for "other", where the pilot types the mode name instead. */
export function modesFor(vehicleClass: VehicleClass): readonly string[] {
  switch (vehicleClass) {
    case "copter":
      return COPTER;
    case "plane":
      return PLANE;
    case "rover":
    case "boat":
      return ROVER;
    case "sub":
      return SUB;
    case "other":
      return [];
  }
}

/** A typed mode name as the server wants it: trimmed, upper case, or null when it cannot be a mode name. */
export function normaliseMode(text: string): string | null {
  const mode = text.trim().toUpperCase();
  return /^[A-Z][A-Z0-9_]*$/.test(mode) || /^MODE\(\d+\)$/.test(mode) ? mode : null;
}
