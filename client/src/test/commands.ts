// Test doubles for the command panel (only tests import this).
import type { CommandReply, Result, VehicleCommandRequest } from "../../../server/protocol";
import type { CommandSender } from "../panels/Commands/types";

export const ACCEPTED: Result<CommandReply> = { ok: true, value: { result: "accepted", text: "Accepted", attempts: 1, vehicleTexts: [] } };

/**
 * Records every request; each answer waits until the test calls answer(), so "waiting for the vehicle" can be
 * seen, and answers come in the order the test chooses.
 */
export class SenderTestDouble implements CommandSender {
  readonly requests: VehicleCommandRequest[] = [];
  private readonly waiting: ((r: Result<CommandReply>) => void)[] = [];

  send = (request: VehicleCommandRequest): Promise<Result<CommandReply>> => {
    this.requests.push(request);
    return new Promise((resolve) => this.waiting.push(resolve));
  };

  /** Answers the oldest unanswered request. */
  answer(result: Result<CommandReply> = ACCEPTED): void {
    const next = this.waiting.shift();
    if (!next) throw new Error("no request is waiting for an answer");
    next(result);
  }
}
