/**
 * A scripted ground station for the vehicle-facing tests: real MAVLink 2 over a real link (tcpout to a simulated
 * or real ArduPilot SITL), every packet both ways logged by name and fields so a test can compare the exchange
 * with the recorded transcripts. Test infrastructure, not the product's own command or mission clients.
 */
import pino from "pino";
import { MAV_CMD, RawDecoder, RawEncoder, createLink } from "../../server/mavlink";
import type { Frame, MavLink, RawFields, RawMessage } from "../../server/mavlink";

export interface LoggedPacket {
  dir: "GCS->VEH" | "VEH->GCS";
  time: number;
  message: RawMessage;
}

export interface Target {
  sysid: number;
  compid: number;
}

const MISSION_MESSAGES = new Set([
  "MISSION_COUNT", "MISSION_REQUEST", "MISSION_REQUEST_INT", "MISSION_ITEM", "MISSION_ITEM_INT", "MISSION_ACK",
  "MISSION_REQUEST_LIST", "MISSION_CLEAR_ALL",
]);

export class TestGcs {
  readonly log: LoggedPacket[] = [];
  private readonly decoder = new RawDecoder();
  private readonly encoder = new RawEncoder({ sysid: 255, compid: 190 });
  private readonly waiters = new Set<{ match: (m: RawMessage) => boolean; resolve: (m: RawMessage) => void }>();
  private heartbeat: NodeJS.Timeout | null = null;

  private constructor(readonly link: MavLink) {
    link.on("frame", (frame: Frame) => this.onFrame(frame));
  }

  static async connect(url: string): Promise<TestGcs> {
    const link = createLink(url, { id: "test-gcs", logger: pino({ level: "silent" }) });
    const gcs = new TestGcs(link);
    await link.start();
    gcs.heartbeat = setInterval(() => gcs.send("HEARTBEAT", { type: 6, autopilot: 8, system_status: 4, mavlink_version: 3 }), 1000);
    return gcs;
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const w of this.waiters) this.waiters.delete(w);
    await this.link.close();
  }

  send(name: string, fields: RawFields = {}): void {
    const bytes = this.encoder.encode(name, fields);
    this.log.push({ dir: "GCS->VEH", time: Date.now(), message: { name, msgid: -1, sysid: 255, compid: 190, seq: -1, fields } });
    this.link.send(bytes);
  }

  /** Resolves with the next message (from now on) that matches, or rejects after `timeoutMs`. */
  next(name: string, where: (f: RawFields, m: RawMessage) => boolean = () => true, timeoutMs = 10_000): Promise<RawMessage> {
    return new Promise((resolve, reject) => {
      const waiter = {
        match: (m: RawMessage) => m.name === name && where(m.fields, m),
        resolve: (m: RawMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no ${name} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Like `next`, but a matching message already received since log index `from` counts too. */
  seen(name: string, where: (f: RawFields, m: RawMessage) => boolean, from: number, timeoutMs = 10_000): Promise<RawMessage> {
    const earlier = this.log.slice(from).find((p) => p.dir === "VEH->GCS" && p.message.name === name && where(p.message.fields, p.message));
    return earlier ? Promise.resolve(earlier.message) : this.next(name, where, timeoutMs);
  }

  /** COMMAND_LONG and its COMMAND_ACK result. */
  async command(target: Target, command: number, params: number[] = [], timeoutMs = 5000): Promise<number> {
    const p = [...params, 0, 0, 0, 0, 0, 0, 0];
    const ack = this.next("COMMAND_ACK", (f) => f.command === command, timeoutMs);
    this.send("COMMAND_LONG", {
      target_system: target.sysid, target_component: target.compid, command, confirmation: 0,
      param1: p[0]!, param2: p[1]!, param3: p[2]!, param4: p[3]!, param5: p[4]!, param6: p[5]!, param7: p[6]!,
    });
    return (await ack).fields.result as number;
  }

  async setMode(target: Target, customMode: number): Promise<number> {
    return this.command(target, MAV_CMD.DO_SET_MODE, [1, customMode]);
  }

  /** Uploads items (seq 0 = home) answering whichever request the vehicle sends; resolves with the MISSION_ACK type. */
  async uploadMission(target: Target, items: RawFields[], timeoutMs = 10_000): Promise<number> {
    const done = this.next("MISSION_ACK", () => true, timeoutMs);
    const answer = (m: RawMessage) => {
      const item = items[m.fields.seq as number];
      if (item) this.send("MISSION_ITEM_INT", { ...item, target_system: target.sysid, target_component: target.compid, mission_type: 0 });
    };
    const listener = (m: RawMessage) => {
      if ((m.name === "MISSION_REQUEST" || m.name === "MISSION_REQUEST_INT") && m.sysid === target.sysid) answer(m);
    };
    this.requestListeners.add(listener);
    this.send("MISSION_COUNT", { target_system: target.sysid, target_component: target.compid, count: items.length, mission_type: 0 });
    try {
      return (await done).fields.type as number;
    } finally {
      this.requestListeners.delete(listener);
    }
  }

  /** Downloads the mission with MISSION_REQUEST_INT (or the legacy MISSION_REQUEST) and acknowledges it. */
  async downloadMission(target: Target, legacy = false): Promise<RawFields[]> {
    const count = this.next("MISSION_COUNT", (f, m) => m.sysid === target.sysid);
    this.send("MISSION_REQUEST_LIST", { target_system: target.sysid, target_component: target.compid, mission_type: 0 });
    const n = (await count).fields.count as number;
    const items: RawFields[] = [];
    for (let seq = 0; seq < n; seq++) {
      const item = this.next(legacy ? "MISSION_ITEM" : "MISSION_ITEM_INT", (f) => f.seq === seq);
      this.send(legacy ? "MISSION_REQUEST" : "MISSION_REQUEST_INT", { target_system: target.sysid, target_component: target.compid, seq, mission_type: 0 });
      items.push((await item).fields);
    }
    this.send("MISSION_ACK", { target_system: target.sysid, target_component: target.compid, type: 0, mission_type: 0 });
    return items;
  }

  /** The mission-protocol packets both ways since `from`, as "DIR NAME" lines plus their fields. */
  missionExchange(from = 0): LoggedPacket[] {
    return this.log.slice(from).filter((p) => MISSION_MESSAGES.has(p.message.name));
  }

  private readonly requestListeners = new Set<(m: RawMessage) => void>();

  private onFrame(frame: Frame): void {
    let message: RawMessage;
    try {
      message = this.decoder.decode(frame);
    } catch {
      return;
    }
    if (message.sysid === 255) return;
    this.log.push({ dir: "VEH->GCS", time: Date.now(), message });
    for (const l of this.requestListeners) l(message);
    for (const w of this.waiters) {
      if (w.match(message)) {
        this.waiters.delete(w);
        w.resolve(message);
      }
    }
  }
}
