/** A command's outcome as the pilot reads it: MAV_RESULT in words, with the vehicle's reasons for a refusal. */
import type { Severity } from "../protocol";
import type { MavMessage } from "../mavlink";
import { MAV_RESULT } from "../mavlink";

export type CommandResult =
  | "accepted" | "temporarily_rejected" | "denied" | "unsupported" | "failed" | "in_progress" | "cancelled" | "timeout";

export interface CommandOutcome {
  ok: boolean;
  result: CommandResult;
  /**
   * In words for the pilot, e.g. "Refused by the vehicle (failed): PreArm: GPS 1: was not found" (a refusal gets the
   * vehicle's warning-or-worse STATUSTEXTs appended).
   */
  text: string;
  /** Last progress reported by IN_PROGRESS acks (0..100), when any. */
  progress?: number;
  /** How many times the command was sent (1 = first try answered). */
  attempts: number;
  /** STATUSTEXTs the vehicle sent while the command was pending (and shortly after a refusal): PreArm reasons etc. */
  vehicleTexts: string[];
}

export type CommandAck = Extract<MavMessage, { kind: "commandAck" }>;

/** The STATUSTEXTs that explain a refusal (ArduPilot's "PreArm: ..." are CRITICAL); info chatter is left out of `text`. */
const EXPLAINING = new Set<Severity>(["emergency", "alert", "critical", "error", "warning"]);

const RESULT_OF = new Map<number, CommandResult>([
  [MAV_RESULT.ACCEPTED, "accepted"],
  [MAV_RESULT.TEMPORARILY_REJECTED, "temporarily_rejected"],
  [MAV_RESULT.DENIED, "denied"],
  [MAV_RESULT.UNSUPPORTED, "unsupported"],
  [MAV_RESULT.FAILED, "failed"],
  [MAV_RESULT.IN_PROGRESS, "in_progress"],
  [MAV_RESULT.CANCELLED, "cancelled"],
  [MAV_RESULT.COMMAND_LONG_ONLY, "unsupported"],
  [MAV_RESULT.COMMAND_INT_ONLY, "unsupported"],
  [MAV_RESULT.COMMAND_UNSUPPORTED_MAV_FRAME, "unsupported"],
]);

const TEXT_OF: Record<Exclude<CommandResult, "timeout">, string> = {
  accepted: "Accepted by the vehicle",
  temporarily_rejected: "The vehicle is busy, try again (temporarily rejected)",
  denied: "Refused by the vehicle (denied)",
  unsupported: "The vehicle does not support this command (unsupported)",
  failed: "Refused by the vehicle (failed)",
  in_progress: "In progress on the vehicle",
  cancelled: "Cancelled by the vehicle",
};

/** An unknown MAV_RESULT counts as a failure. */
export function ackResult(ack: CommandAck): CommandResult {
  return RESULT_OF.get(ack.result) ?? "failed";
}

/** The words for a final ack (not IN_PROGRESS); an unknown MAV_RESULT is named as the vehicle sent it. */
export function ackText(ack: CommandAck): string {
  return RESULT_OF.has(ack.result)
    ? TEXT_OF[ackResult(ack) as Exclude<CommandResult, "timeout">]
    : `Refused by the vehicle (${ack.resultName})`;
}

export function explainsRefusal(severity: Severity): boolean {
  return EXPLAINING.has(severity);
}

/** A refusal's text with the vehicle's reasons appended, when it gave any. */
export function withReasons(text: string, reasons: readonly string[]): string {
  return reasons.length > 0 ? `${text}: ${reasons.join("; ")}` : text;
}
