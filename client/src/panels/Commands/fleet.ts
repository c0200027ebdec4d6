import type { VehicleCommand, VehicleKey, VehicleState } from "../../../../server/protocol";
import { formatAltitude, formatBattery } from "../../format";
import { fliesInAir } from "./availability";
import type { Outcome } from "./outcome";

export type FleetKind = "rtl" | "land" | "brake";

export interface FleetAction {
  kind: FleetKind;
  /** The button's text and accessible name. */
  label: string;
  verb: string;
  body: string;
}

export const FLEET_ACTIONS: readonly FleetAction[] = [
  { kind: "rtl", label: "RTL all", verb: "Return to launch", body: "Each vehicle flies back to its home at its RTL altitude and lands there." },
  { kind: "land", label: "Land all", verb: "Land", body: "Each vehicle descends and lands where it is now." },
  { kind: "brake", label: "Brake all", verb: "Brake", body: "Each vehicle stops and holds its position." },
];

export function fleetCommand(kind: FleetKind): VehicleCommand {
  return { kind };
}

/** Who gets the command, and who does not (and why): a disarmed vehicle would only refuse it. */
export function fleetTargets(vehicles: readonly VehicleState[], kind: FleetKind): { targets: VehicleState[]; skipped: { key: VehicleKey; reason: string }[] } {
  const targets: VehicleState[] = [];
  const skipped: { key: VehicleKey; reason: string }[] = [];
  for (const v of vehicles) {
    if (!v.armed) skipped.push({ key: v.key, reason: "disarmed" });
    else if (kind === "land" && !fliesInAir(v)) skipped.push({ key: v.key, reason: "does not fly" });
    else targets.push(v);
  }
  return { targets, skipped };
}

/** One line of the dialog's list: enough to recognise each drone and judge whether it can make it home. */
export function fleetRow(v: VehicleState): { key: VehicleKey; mode: string; altitude: string; battery: string } {
  return {
    key: v.key,
    mode: v.mode || "?",
    altitude: formatAltitude(v.position?.altRelative, 0),
    battery: formatBattery(v.battery).remaining,
  };
}

/** Per-vehicle answer of a fleet action; outcome null while waiting. */
export interface FleetResult {
  key: VehicleKey;
  outcome: Outcome | null;
}

/** "3 accepted, 1 refused, 1 waiting". */
export function fleetSummary(results: readonly FleetResult[]): string {
  const waiting = results.filter((r) => r.outcome === null).length;
  const accepted = results.filter((r) => r.outcome?.tone === "ok").length;
  const refused = results.length - waiting - accepted;
  const parts = [`${accepted} accepted`];
  if (refused > 0) parts.push(`${refused} refused`);
  if (waiting > 0) parts.push(`${waiting} waiting`);
  return parts.join(", ");
}
