/**
 * One command on the wire: sent, retransmitted until the vehicle's COMMAND_ACK arrives (COMMAND_LONG with
 * `confirmation` counting the retries), waited through IN_PROGRESS acks, and a refusal held briefly so the
 * STATUSTEXTs that explain it (they may follow the ack) join its text.
 */
import type { Decoded, OutgoingMessage } from "../mavlink";
import type { CommandClock, TimerHandle } from "./commands-clock";
import type { CommandRequest, CommandTarget, SendOptions } from "./commands-options";
import { COMMAND_DEFAULTS } from "./commands-options";
import type { CommandOutcome } from "./commands-results";
import { ackResult, ackText, explainsRefusal, withReasons } from "./commands-results";

/** What an exchange needs from its client: timers, the sending, and the vehicle's messages. */
export interface ExchangeContext {
  clock: CommandClock;
  send(linkId: string, messages: OutgoingMessage[]): void;
  /** Calls `listener` with each message from the target vehicle; returns the removal. */
  listen(target: CommandTarget, listener: (decoded: Decoded) => void): () => void;
}

type ProgressListener = (progress: number | null) => void;

/** Sends `request` and resolves with the vehicle's answer (never rejects). */
export function exchangeCommand(
  ctx: ExchangeContext, target: CommandTarget, request: CommandRequest, opts: SendOptions,
  progressListeners: readonly ProgressListener[],
): Promise<CommandOutcome> {
  return new Promise<CommandOutcome>((resolve) => {
    new CommandExchange(ctx, target, request, opts, progressListeners, resolve).start();
  });
}

class CommandExchange {
  private readonly timeoutMs: number;
  private readonly tries: number;
  private attempts = 0;
  private progress: number | undefined;
  private inProgress = false;
  private done = false;
  private timer: TimerHandle | null = null;
  private readonly texts: string[] = [];
  private readonly reasons: string[] = [];
  private final: CommandOutcome | null = null;
  private off: () => void = () => undefined;

  constructor(
    private readonly ctx: ExchangeContext, private readonly target: CommandTarget,
    private readonly request: CommandRequest, opts: SendOptions,
    private readonly progressListeners: readonly ProgressListener[],
    private readonly resolve: (outcome: CommandOutcome) => void,
  ) {
    this.timeoutMs = opts.timeoutMs ?? COMMAND_DEFAULTS.timeoutMs;
    this.tries = 1 + Math.max(0, opts.retries ?? COMMAND_DEFAULTS.retries);
  }

  /** Listening starts before the first send, so an ack delivered at once is not missed. */
  start(): void {
    this.off = this.ctx.listen(this.target, (d) => this.onMessage(d));
    this.transmit();
  }

  private arm(ms: number, fn: () => void): void {
    if (this.timer !== null) this.ctx.clock.clearTimeout(this.timer);
    this.timer = this.ctx.clock.setTimeout(fn, ms);
  }

  private finish(outcome: CommandOutcome): void {
    if (this.done) return;
    this.done = true;
    if (this.timer !== null) this.ctx.clock.clearTimeout(this.timer);
    this.off();
    this.resolve(outcome);
  }

  private transmit(): void {
    const confirmation = this.attempts++;
    this.arm(this.timeoutMs, () => this.onTimeout());
    this.ctx.send(this.target.linkId, [commandMessage(this.target, this.request, confirmation)]);
  }

  private onTimeout(): void {
    const { attempts, texts, progress } = this;
    if (this.inProgress) {
      this.finish({
        ok: false, result: "timeout", attempts, vehicleTexts: texts, ...(progress !== undefined ? { progress } : {}),
        text: "The vehicle stopped reporting progress",
      });
    } else if (attempts >= this.tries) {
      this.finish({
        ok: false, result: "timeout", attempts, vehicleTexts: texts,
        text: `No answer from the vehicle after ${attempts} ${attempts === 1 ? "try" : "tries"}`,
      });
    } else {
      this.transmit();
    }
  }

  private onMessage(d: Decoded): void {
    const m = d.message;
    if (m.kind === "statusText") {
      this.texts.push(m.text);
      if (explainsRefusal(m.severity)) this.reasons.push(m.text);
      return;
    }
    if (m.kind !== "commandAck" || m.command !== this.request.command || this.final) return;
    const result = ackResult(m);
    if (result === "in_progress") {
      this.inProgress = true;
      const p = m.progress ?? null;
      if (p !== null) this.progress = p;
      this.arm(COMMAND_DEFAULTS.progressTimeoutMs, () => this.onTimeout());
      for (const listener of this.progressListeners) listener(p);
      return;
    }
    const ok = result === "accepted";
    const { attempts, texts, progress } = this;
    const final: CommandOutcome = {
      ok, result, attempts, vehicleTexts: texts, ...(progress !== undefined ? { progress } : {}), text: ackText(m),
    };
    this.final = final;
    if (ok) {
      this.finish(final);
      return;
    }
    // The STATUSTEXTs that explain a refusal may come just after the ack: gather them briefly.
    this.arm(COMMAND_DEFAULTS.refusalTextsMs, () => this.finish({ ...final, text: withReasons(final.text, this.reasons) }));
  }
}

function fill(params: readonly number[] | undefined, n: number): number[] {
  return Array.from({ length: n }, (_, i) => params?.[i] ?? 0);
}

function commandMessage(target: CommandTarget, request: CommandRequest, confirmation: number): OutgoingMessage {
  const ids = { sysid: target.sysid, compid: target.compid };
  if (request.kind === "long") {
    return {
      kind: "commandLong", target: ids, command: request.command, confirmation: confirmation & 0xff,
      params: fill(request.params, 7) as [number, number, number, number, number, number, number],
    };
  }
  // COMMAND_INT has no confirmation field: a retry is the same message again.
  return {
    kind: "commandInt", target: ids, command: request.command, frame: request.frame ?? 0,
    params: fill(request.params, 4) as [number, number, number, number],
    x: request.x ?? 0, y: request.y ?? 0, z: request.z ?? 0,
  };
}
