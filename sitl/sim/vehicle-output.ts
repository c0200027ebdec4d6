/**
 * What the vehicle sends without being asked for one message: the streams a ground station requested as they fall
 * due, TIMESYNC every 10 s, a HEARTBEAT at once after a mode change (after the command's ack, before queued texts,
 * as ArduPilot does), and its STATUSTEXTs once a ground station has spoken. Also one stream message on request
 * (REQUEST_MESSAGE).
 */
import { messageId } from "../../server/mavlink";
import { StatusTextQueue } from "./statustext";
import { BUILDERS, heartbeatFields } from "./telemetry";
import type { SimVehicle } from "./vehicle";

const TIMESYNC_INTERVAL_MS = 10_000;
const STREAM_NAMES: ReadonlyMap<number, string> = new Map([...BUILDERS.keys()].map((name) => [messageId(name), name]));

export class VehicleOutput {
  private readonly texts = new StatusTextQueue();
  private nextTimesync = 0;
  /** A mode changed: a HEARTBEAT goes out with the next flush. */
  private heartbeatNow = false;

  constructor(private readonly v: SimVehicle) {}

  statusText(severity: number, text: string, now: number): void {
    this.texts.push(severity, text, now);
  }

  heartbeatSoon(): void {
    this.heartbeatNow = true;
  }

  /** The stream messages due at `now`, and TIMESYNC when its time has come. */
  sendDue(now: number): void {
    const v = this.v;
    const due = v.streams.due(now);
    if (due.length === 0 && now < this.nextTimesync) return;
    const view = v.view(now);
    for (const msgid of due) {
      if (msgid === 0) {
        v.send("HEARTBEAT", heartbeatFields(view));
        continue;
      }
      const name = STREAM_NAMES.get(msgid);
      const fields = name ? BUILDERS.get(name)?.(view) : null;
      if (name && fields) v.send(name, fields);
    }
    if (now >= this.nextTimesync) {
      this.nextTimesync = now + TIMESYNC_INTERVAL_MS;
      v.send("TIMESYNC", { tc1: 0, ts1: Math.round(now * 1e6) });
    }
  }

  /** The pending mode-change HEARTBEAT, then the queued STATUSTEXTs (held until a ground station has spoken). */
  flush(now: number): void {
    const v = this.v;
    if (this.heartbeatNow && v.boot.has("heartbeat")) v.send("HEARTBEAT", heartbeatFields(v.view(now)));
    this.heartbeatNow = false;
    for (const t of this.texts.take(now, v.gcsSeen)) v.send("STATUSTEXT", { severity: t.severity, text: t.text });
  }

  canSendNow(name: string): boolean {
    return name === "HEARTBEAT" || BUILDERS.has(name);
  }

  /** Sends one message of a stream at once (REQUEST_MESSAGE). */
  sendNow(name: string): void {
    const view = this.v.view();
    const fields = name === "HEARTBEAT" ? heartbeatFields(view) : BUILDERS.get(name)?.(view);
    if (fields) this.v.send(name, fields);
  }

  /** A fresh boot: queued texts are gone and TIMESYNC starts again. */
  reset(): void {
    this.texts.clear();
    this.nextTimesync = 0;
  }
}
