import type { CommandReply, Result, VehicleCommand } from "../../../../server/protocol";
import type { Tone } from "../../components";
import { formatAltitude, formatCoordinates, formatSpeed } from "../../format";

/** A command as the log names it, e.g. "Take off to 20 m". */
export function describeCommand(command: VehicleCommand): string {
  switch (command.kind) {
    case "arm":
      return command.force ? "Force arm" : "Arm";
    case "disarm":
      return command.force ? "Force disarm" : "Disarm";
    case "setMode":
      return `Set mode ${command.mode}`;
    case "takeoff":
      return `Take off to ${formatAltitude(command.altM, 0)}`;
    case "land":
      return "Land";
    case "rtl":
      return "RTL";
    case "brake":
      return "Brake";
    case "goto":
      return `Go to ${formatCoordinates(command.lat, command.lon)} at ${formatAltitude(command.altM, 0)}`;
    case "speed":
      return `Speed ${formatSpeed(command.mps)}`;
    case "missionStart":
      return command.fromSeq === undefined ? "Start mission" : `Start mission at item ${command.fromSeq}`;
    case "missionPause":
      return "Pause mission";
    case "missionResume":
      return "Resume mission";
    case "setCurrent":
      return `Set current item ${command.seq}`;
  }
}

/** The result of a command in words, and its colour. */
export interface Outcome {
  tone: Tone;
  text: string;
}

/** Codes that are the vehicle's own answer (COMMAND_ACK), as opposed to the server or the link failing. */
const VEHICLE_REFUSALS = new Set(["denied", "failed", "temporarily_rejected", "unsupported", "in_progress", "cancelled"]);
/** Refusals that may pass if tried again shortly: amber, not red. */
const TRANSIENT = new Set(["temporarily_rejected", "in_progress", "cancelled", "not_holder", "unconfirmed"]);

function reason(code: string, message: string): string {
  // The message already says it all when it is just the code again (or empty).
  return message && message !== code ? `: ${message}` : "";
}

/**
 * Accepted is green, with what the vehicle said meanwhile; a refusal keeps the vehicle's whole text
 * (e.g. "PreArm: GPS 1: Bad fix"), because that is what tells the pilot what to fix.
 */
export function describeOutcome(result: Result<CommandReply>): Outcome {
  if (result.ok) {
    const said = result.value.vehicleTexts.filter((t) => t.trim() !== "");
    return { tone: "ok", text: ["Accepted", ...said].join(" · ") };
  }
  const { code, message } = result.error;
  const tone: Tone = TRANSIENT.has(code) ? "caution" : "danger";
  const why = reason(code, message);
  if (VEHICLE_REFUSALS.has(code)) return { tone, text: `Refused by the vehicle (${code})${why}` };
  switch (code) {
    case "timeout":
      return { tone, text: `No answer from the vehicle (timeout)${why}` };
    case "not_holder":
      return { tone, text: `Not sent: you do not hold control of this vehicle${why}` };
    case "unconfirmed":
      return { tone, text: `Not sent: the server wants an explicit confirmation${why}` };
    case "not_sent":
      return { tone, text: `Not sent${why}` };
    default:
      return { tone, text: `Failed (${code})${why}` };
  }
}

/** After a normal arm/disarm the vehicle refused, which forced variant to offer, if any. */
export function forceOffer(command: VehicleCommand, result: Result<CommandReply>): "forceArm" | "forceDisarm" | null {
  if (result.ok || !VEHICLE_REFUSALS.has(result.error.code)) return null;
  if (command.kind === "arm" && !command.force) return "forceArm";
  if (command.kind === "disarm" && !command.force) return "forceDisarm";
  return null;
}

/** A sender that throws (socket gone, bug) still yields a Result, so the panel never hangs on "pending". */
export function thrownToResult(error: unknown): Result<CommandReply> {
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { code: "not_sent", message } };
}
