/**
 * The retry engine under every mission-protocol transfer: sends a packet, re-sends the last packet when nothing
 * useful came back within the timeout (a dropped packet either way looks the same from here), and gives up after
 * the configured tries. A new packet (progress) starts the count of tries again, so a long list is not bound by
 * one budget. Shapes shared by the transfers and the client live here too.
 */
import type { Decoded, OutgoingMessage } from "../mavlink";
import type { CommandClock, CommandTarget, TimerHandle } from "./commands";

export type TransferErrorCode =
  /** Another transfer with this vehicle is running. */
  | "busy"
  /** No answer after every try. */
  | "timeout"
  /** The vehicle answered with a MISSION_ACK error (see `result`). */
  | "refused"
  /** The last item went out but its MISSION_ACK was lost: the vehicle may or may not have the list. */
  | "unconfirmed"
  /** The vehicle broke the protocol (asked for an item past the end, ...). */
  | "protocol"
  /** The client was closed under the transfer. */
  | "closed";

export type TransferOutcome<T> =
  | { ok: true; value: T; /** Packets sent again after a timeout. */ resends: number }
  | {
      ok: false; code: TransferErrorCode; /** In words, for the pilot. */ message: string; resends: number;
      /** MAV_MISSION_RESULT when the vehicle refused. */ result?: number;
    };

export interface TransferOptions {
  /** Per packet. Default 1500 ms. */
  timeoutMs?: number;
  /** Re-sends of one packet before giving up. Default 3 (4 tries). */
  retries?: number;
  /** Items done of total, as they go. */
  onProgress?: (done: number, total: number) => void;
}

export const MISSION_DEFAULTS = Object.freeze({ timeoutMs: 1500, retries: 3 });

/** What a transfer needs: the vehicle, a way to send to it, its messages, time. */
export interface TransferContext {
  target: CommandTarget;
  clock: CommandClock;
  send(message: OutgoingMessage): void;
  /** Messages from the target vehicle (and addressed to us, when our ids are known); returns the removal. */
  listen(listener: (decoded: Decoded) => void): () => void;
  /** Called once with the way to end the transfer early (close()). */
  onAbort(abort: () => void): () => void;
}

export interface ExchangeControl<T> {
  /** Sends a new packet: the tries start again. */
  transmit(message: OutgoingMessage): void;
  /** Sends without waiting for anything (the final MISSION_ACK of a download). */
  post(message: OutgoingMessage): void;
  finish(outcome: TransferOutcome<T>): void;
  ok(value: T): void;
  fail(code: TransferErrorCode, message: string, result?: number): void;
  /** Tries of the current packet so far. */
  readonly tries: number;
}

export interface ExchangeHandlers {
  onMessage(decoded: Decoded): void;
  /** The words for giving up after `tries` tries. */
  giveUp(tries: number): string;
  /** Before each re-send (e.g. to note that the last item was sent again). */
  onResend?(): void;
}

/** Runs one transfer: `start` sends the first packet and returns how to handle what comes back. */
export function exchange<T>(
  ctx: TransferContext, opts: TransferOptions, start: (x: ExchangeControl<T>) => ExchangeHandlers,
): Promise<TransferOutcome<T>> {
  const timeoutMs = opts.timeoutMs ?? MISSION_DEFAULTS.timeoutMs;
  const maxTries = 1 + Math.max(0, opts.retries ?? MISSION_DEFAULTS.retries);
  return new Promise((resolve) => {
    let last: OutgoingMessage | null = null;
    let tries = 0;
    let resends = 0;
    let timer: TimerHandle | null = null;
    let done = false;
    let handlers: ExchangeHandlers | null = null;
    // The first packet goes out once the handlers exist: a vehicle (or a test's simulator) may answer at once.
    let held: OutgoingMessage | null = null;

    const clear = (): void => {
      if (timer !== null) ctx.clock.clearTimeout(timer);
      timer = null;
    };
    const arm = (): void => {
      clear();
      timer = ctx.clock.setTimeout(onTimeout, timeoutMs);
    };
    const onTimeout = (): void => {
      timer = null;
      if (done || !last || !handlers) return;
      if (tries >= maxTries) {
        control.fail("timeout", handlers.giveUp(tries));
        return;
      }
      tries += 1;
      resends += 1;
      handlers.onResend?.();
      arm();
      ctx.send(last);
    };
    const control: ExchangeControl<T> = {
      transmit(message) {
        if (done) return;
        last = message;
        tries = 1;
        arm();
        if (handlers) ctx.send(message);
        else held = message;
      },
      post(message) {
        ctx.send(message);
      },
      finish(outcome) {
        if (done) return;
        done = true;
        clear();
        off();
        offAbort();
        resolve(outcome.ok ? { ...outcome, resends } : { ...outcome, resends });
      },
      ok(value) {
        control.finish({ ok: true, value, resends });
      },
      fail(code, message, result) {
        control.finish({ ok: false, code, message, resends, ...(result === undefined ? {} : { result }) });
      },
      get tries() {
        return tries;
      },
    };
    const off = ctx.listen((d) => {
      if (!done) handlers?.onMessage(d);
    });
    const offAbort = ctx.onAbort(() => control.fail("closed", "The mission client was closed during the transfer"));
    handlers = start(control);
    if (held && !done) ctx.send(held);
  });
}
