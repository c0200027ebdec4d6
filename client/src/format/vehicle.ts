import type { VehicleClass, VehicleState } from "../../../server/protocol";
import { formatAltitude } from "./units";

const CLASS_LABELS: Record<VehicleClass, string> = {
  copter: "Copter",
  plane: "Plane",
  rover: "Rover",
  boat: "Boat",
  sub: "Sub",
  other: "Vehicle",
};

export function formatVehicleClass(c: VehicleClass): string {
  return CLASS_LABELS[c] ?? c;
}

/** The map label: key, mode and height above home, e.g. "1:1 GUIDED 30 m". */
export function formatVehicleLabel(v: Pick<VehicleState, "key" | "mode" | "position">): string {
  const parts: string[] = [v.key, v.mode || "?"];
  if (v.position) parts.push(formatAltitude(v.position.altRelative, 0));
  return parts.join(" ");
}
