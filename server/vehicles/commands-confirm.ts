/**
 * setMode / arm / disarm are confirmed by the vehicle's next HEARTBEAT, not by the ack alone: ArduPilot acks
 * first and the heartbeat shows the change (or does not, and then the command did not take).
 */
import type { Decoded } from "../mavlink";
import { MAV_RESULT } from "../mavlink";
import type { CommandClock } from "./commands-clock";
import type { CommandRequest, CommandTarget, SendOptions } from "./commands-options";
import { COMMAND_DEFAULTS } from "./commands-options";
import type { CommandOutcome } from "./commands-results";

export interface ConfirmContext {
  clock: CommandClock;
  /** The client's send (joins a request already waiting). */
  send(target: CommandTarget, request: CommandRequest, opts: SendOptions): Promise<CommandOutcome>;
  listen(target: CommandTarget, listener: (decoded: Decoded) => void): () => void;
}

/**
 * Sends, and when accepted waits for a message (a HEARTBEAT) received after the ack that shows the change.
 * Watching starts before sending, but only messages after the accepted ack count.
 */
export async function sendConfirmed(
  ctx: ConfirmContext, target: CommandTarget, request: CommandRequest, opts: SendOptions,
  shows: (d: Decoded) => boolean, unconfirmedText: string,
): Promise<CommandOutcome> {
  let acked = false;
  let seen = false;
  let wake: (() => void) | null = null;
  const off = ctx.listen(target, (d) => {
    if (d.message.kind === "commandAck" && d.message.command === request.command
      && d.message.result === MAV_RESULT.ACCEPTED) acked = true;
    else if (acked && shows(d)) {
      seen = true;
      wake?.();
    }
  });
  try {
    const outcome = await ctx.send(target, request, opts);
    if (!outcome.ok) return outcome;
    if (!seen) {
      await new Promise<void>((resolve) => {
        const timer = ctx.clock.setTimeout(resolve, COMMAND_DEFAULTS.confirmMs);
        wake = () => {
          ctx.clock.clearTimeout(timer);
          resolve();
        };
      });
    }
    return seen ? outcome : { ...outcome, ok: false, text: unconfirmedText };
  } finally {
    off();
  }
}
