/** Test helper: a SimVehicle on a virtual clock, driven through bytes by a GCS-side encoder/decoder/framer. */
import pino from "pino";
import { MavlinkFramer, RawDecoder, RawEncoder, messageId } from "../../../server/mavlink";
import type { RawFields, RawMessage } from "../../../server/mavlink";
import { SimVehicle } from "../../../sitl/sim";
import type { SimVehicleOptions } from "../../../sitl/sim";

export const HOME = { lat: 51.5073998, lon: -0.1278, altAmsl: 10.09 };

export interface Received extends RawMessage {
  at: number;
}

export class Harness {
  time = 1_000_000;
  readonly vehicle: SimVehicle;
  readonly got: Received[] = [];
  readonly framer: MavlinkFramer;
  private readonly gcs = new RawEncoder({ sysid: 255, compid: 190 });
  private readonly decoder = new RawDecoder();
  private readonly toVehicle = new MavlinkFramer((f) => this.vehicle.receive(f));

  constructor(opts: Partial<SimVehicleOptions> = {}) {
    this.vehicle = new SimVehicle({
      sysid: 1, home: HOME, bootTimeScale: 0.05, clock: { now: () => this.time },
      logger: pino({ level: "silent" }), ...opts,
    });
    this.framer = new MavlinkFramer((f) => this.got.push({ ...this.decoder.decode(f), at: this.time }));
    this.vehicle.onSend((bytes) => this.framer.push(Buffer.from(bytes)));
  }

  send(name: string, fields: RawFields = {}): void {
    this.toVehicle.push(this.gcs.encode(name, fields));
  }

  run(ms: number, stepMs = 20): void {
    this.vehicle.runFor(ms, stepMs, (to) => {
      this.time = to;
    });
  }

  named(name: string, since = 0): Received[] {
    return this.got.filter((m) => m.name === name && m.at >= since);
  }

  last(name: string): Received | undefined {
    return this.named(name).at(-1);
  }

  texts(since = 0): string[] {
    return this.named("STATUSTEXT", since).map((m) => String(m.fields.text));
  }

  command(command: number, params: number[] = []): number {
    const before = this.got.length;
    const f: RawFields = { command, target_system: 1, target_component: 1 };
    params.forEach((p, i) => {
      f[`param${i + 1}`] = p;
    });
    this.send("COMMAND_LONG", f);
    const ack = this.got.slice(before).find((m) => m.name === "COMMAND_ACK" && m.fields.command === command);
    if (!ack) throw new Error(`no COMMAND_ACK for ${command}`);
    return Number(ack.fields.result);
  }

  heartbeat(): void {
    this.send("HEARTBEAT", { type: 6, autopilot: 8, mavlink_version: 3 });
  }

  /** Boots fully (scaled), with a GCS heartbeat and all streams at `hz`. */
  ready(hz = 4): void {
    this.heartbeat();
    this.send("REQUEST_DATA_STREAM", { target_system: 1, req_stream_id: 0, req_message_rate: hz, start_stop: 1 });
    this.run(42_000 * 0.05 + 500);
  }

  /** PARAM_SET, as a ground station sends it. */
  param(name: string, value: number): void {
    this.send("PARAM_SET", { target_system: 1, target_component: 1, param_id: name, param_value: value, param_type: 9 });
  }

  /** GUIDED, arm, take off to `alt` m and wait until there (ready() first). */
  takeoff(alt: number): void {
    if (this.command(176, [1, 4]) !== 0 || this.command(400, [1]) !== 0) throw new Error("cannot arm in GUIDED");
    this.command(22, [0, 0, 0, 0, 0, 0, alt]);
    this.runUntil(() => this.vehicle.phys.up >= alt - 0.5, 60_000);
  }

  /** Runs in 500 ms steps until `done` (at most `ms`), sending a GCS heartbeat every second as a GCS does. */
  runUntil(done: () => boolean, ms: number, each?: () => void): void {
    for (let t = 0; t < ms && !done(); t += 500) {
      if (t % 1000 === 0) this.heartbeat();
      each?.();
      this.run(500);
    }
  }

  rate(name: string, since: number): number {
    return this.named(name, since).length / ((this.time - since) / 1000);
  }

  relAlt(): number {
    return Number(this.last("GLOBAL_POSITION_INT")?.fields.relative_alt ?? NaN) / 1000;
  }

  idOf(name: string): number {
    return messageId(name);
  }
}
