import type { VehicleKey } from "../protocol";
import type { AlertSink } from "./episode";
import type { AlertTuning } from "./tuning";

/** A vehicle's answer to a command (the registry's CommandAckEvent satisfies this). */
export interface CommandAck {
  key: VehicleKey;
  time: number;
  commandName: string;
  result: number;
  resultName: string;
}

/** MAV_RESULT ACCEPTED (0) and IN_PROGRESS (5) are not refusals; every other answer is. */
function refused(result: number): boolean {
  return result !== 0 && result !== 5;
}

/** Distinct (command, result) episodes kept per vehicle: acks name at most a few commands in a session. */
const MAX_EPISODES = 32;

interface RefusalEpisode {
  id: number;
  count: number;
  lastSeen: number;
  text: string;
  /** A count not yet written and sent: writes are throttled as for repeated texts. */
  pending: boolean;
  lastWrite: number;
}

/**
 * Commands the vehicle refused, whoever sent them: the pilot who sent one sees the refusal in its reply, the control
 * room sees it here. One alert per command and result; a repeat within `textRepeatMs` counts on it.
 */
export class RefusalRule {
  private readonly episodes = new Map<string, RefusalEpisode>();

  constructor(private readonly key: VehicleKey, private readonly tuning: AlertTuning) {}

  add(ack: CommandAck, sink: AlertSink): void {
    if (!refused(ack.result)) return;
    const identity = `${ack.commandName}:${ack.result}`;
    const ep = this.episodes.get(identity);
    if (ep && ack.time - ep.lastSeen <= this.tuning.textRepeatMs) {
      ep.count += 1;
      ep.lastSeen = ack.time;
      ep.pending = true;
      if (ack.time - ep.lastWrite >= this.tuning.textUpdateMs) this.flush(ep, ack.time, sink);
      return;
    }
    if (ep) this.end(identity, ep, ack.time, sink);
    if (this.episodes.size >= MAX_EPISODES) return;
    const text = `Vehicle refused ${ack.commandName}: ${ack.resultName}`;
    const id = sink.raise(this.key, "command_refused", "warning", text, ack.time);
    if (id !== null) this.episodes.set(identity, { id, count: 1, lastSeen: ack.time, text, pending: false, lastWrite: ack.time });
  }

  /** Sends throttled counts; ends refusals not repeated for the repeat window. */
  tick(time: number, sink: AlertSink): void {
    for (const [identity, ep] of this.episodes) {
      if (time - ep.lastSeen > this.tuning.textRepeatMs) this.end(identity, ep, time, sink);
      else if (ep.pending && time - ep.lastWrite >= this.tuning.textUpdateMs) this.flush(ep, time, sink);
    }
  }

  private flush(ep: RefusalEpisode, time: number, sink: AlertSink): void {
    ep.pending = false;
    ep.lastWrite = time;
    sink.update(ep.id, { text: `${ep.text} (seen ${ep.count} times)`, count: ep.count }, time);
  }

  private end(identity: string, ep: RefusalEpisode, time: number, sink: AlertSink): void {
    if (ep.pending) this.flush(ep, time, sink);
    sink.clear(ep.id, time, "ended");
    this.episodes.delete(identity);
  }
}
