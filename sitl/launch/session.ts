/**
 * A short-lived ground-station conversation with one vehicle: open a link, heartbeat as a GCS, send raw
 * messages, wait for an answer. The launchers use it to configure ArduPilot SITL before the server connects
 * (SITL's TCP port takes one client at a time, so the session must close before the server can have it).
 */
import type { Logger } from "pino";
import { createLink, GCS_DEFAULT_IDS, RawDecoder, RawEncoder } from "../../server/mavlink";
import type { MavLink, RawFields, RawMessage } from "../../server/mavlink";

const MAV_TYPE_GCS = 6;
const MAV_AUTOPILOT_INVALID = 8;

export class MavSession {
  private readonly link: MavLink;
  private readonly decoder = new RawDecoder();
  private readonly encoder = new RawEncoder(GCS_DEFAULT_IDS);
  /** Each pending waitFor: its matcher, and how to end it early (cancel). */
  private readonly waiters = new Map<(m: RawMessage) => void, () => void>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(readonly url: string, logger: Logger) {
    this.link = createLink(url, { id: `launcher:${url}`, logger, backoff: { initialMs: 250, maxMs: 2000 } });
    this.link.on("frame", (frame) => {
      let message: RawMessage;
      try {
        message = this.decoder.decode(frame);
      } catch {
        return; // a message outside the dialect: nothing a launcher waits for
      }
      for (const waiter of [...this.waiters.keys()]) waiter(message);
    });
  }

  async open(): Promise<void> {
    await this.link.start();
    // ArduPilot sends STATUSTEXT and answers some requests only to a link that has heard a GCS.
    const beat = (): void => this.send("HEARTBEAT", {
      type: MAV_TYPE_GCS, autopilot: MAV_AUTOPILOT_INVALID, base_mode: 0, custom_mode: 0, system_status: 4, mavlink_version: 3,
    });
    beat();
    this.heartbeat = setInterval(beat, 1000);
  }

  send(name: string, fields: RawFields): void {
    this.link.send(this.encoder.encode(name, fields));
  }

  /** The first message matching `accept` within `timeoutMs`, or null. */
  waitFor(accept: (m: RawMessage) => boolean, timeoutMs: number): Promise<RawMessage | null> {
    return new Promise((resolve) => {
      const done = (m: RawMessage | null): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(m);
      };
      const waiter = (m: RawMessage): void => {
        if (accept(m)) done(m);
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      this.waiters.set(waiter, () => done(null));
    });
  }

  /** Ends every pending waitFor with null (the launch is being abandoned). */
  cancel(): void {
    for (const end of [...this.waiters.values()]) end();
  }

  async close(): Promise<void> {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.cancel();
    await this.link.close();
  }
}

/** A HEARTBEAT from a vehicle (not from another ground station or a companion computer). */
export function isVehicleHeartbeatRaw(m: RawMessage): boolean {
  return m.name === "HEARTBEAT" && m.fields.type !== MAV_TYPE_GCS && m.fields.type !== 18 && m.fields.autopilot !== MAV_AUTOPILOT_INVALID;
}
