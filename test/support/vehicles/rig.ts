/**
 * Test helper (tests only): the real built-in simulated ArduCopter (sitl/sim) on a virtual clock, with bytes both
 * ways through MavlinkEncoder / MavlinkFramer / decodeFrame; the link's only "faults" are packets a test drops or
 * rewrites. Gives the deps of CommandClient / MissionClient.
 */
import pino from "pino";
import { GCS_DEFAULT_IDS, MavlinkEncoder, MavlinkFramer, decodeFrame } from "../../../server/mavlink";
import type { Decoded, OutgoingMessage } from "../../../server/mavlink";
import { SimVehicle } from "../../../sitl/sim";
import { MissionExecutor, MissionServer } from "../../../sitl/sim/mission";
import type { MissionServerOptions } from "../../../sitl/sim/mission";
import { CommandClient } from "../../../server/vehicles";
import type { CommandClientDeps, CommandClock } from "../../../server/vehicles";

export const HOME = { lat: 51.5073998, lon: -0.1278, altAmsl: 10.09 };

export class VirtualClock implements CommandClock {
  time = 1_000_000;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.next++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  fireDue(): void {
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | null = null;
      for (const entry of this.timers) if (entry[1].at <= this.time && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) return;
      this.timers.delete(due[0]);
      due[1].fn();
    }
  }
}

type Listener = (decoded: Decoded, linkId: string, time: number) => void;

export interface RigOptions {
  /** The simulated vehicle's MissionServer options (capacity, requestInt, refuseUploads, ...). */
  mission?: MissionServerOptions;
}

export class Rig {
  readonly clock = new VirtualClock();
  readonly vehicle: SimVehicle;
  readonly client: CommandClient;
  /** Deps for another client (MissionClient) on the same link. */
  readonly deps: CommandClientDeps;
  /** Everything the client sent, before any drop. */
  readonly sent: OutgoingMessage[] = [];
  readonly heard: Decoded[] = [];
  /** Packets to the vehicle to drop, from the next one. */
  dropToVehicle = 0;
  /** Drops a packet to the vehicle when true (after dropToVehicle). */
  dropWhen: ((m: OutgoingMessage) => boolean) | null = null;
  /** Drops a decoded packet from the vehicle when true. */
  dropFromVehicle: ((d: Decoded) => boolean) | null = null;
  /** Changes a packet on its way to the vehicle (a corrupting link). */
  rewrite: ((m: OutgoingMessage) => OutgoingMessage) | null = null;
  /** The vehicle hears nothing from us. */
  deaf = false;
  /** We do not see the vehicle's heartbeats. */
  hideHeartbeats = false;
  private readonly listeners = new Set<Listener>();
  private readonly encoder = new MavlinkEncoder(GCS_DEFAULT_IDS);
  private readonly toVehicle: MavlinkFramer;
  private readonly fromVehicle: MavlinkFramer;

  constructor(opts: RigOptions = {}) {
    const missionOpts = opts.mission;
    this.vehicle = new SimVehicle({
      sysid: 1, home: HOME, bootTimeScale: 0.05, clock: { now: () => this.clock.time },
      logger: pino({ level: "silent" }),
      ...(missionOpts ? {
        mission: (host) => {
          const server = new MissionServer(host, missionOpts);
          return { server, executor: new MissionExecutor(server, host) };
        },
      } : {}),
    });
    this.toVehicle = new MavlinkFramer((f) => this.vehicle.receive(f));
    this.fromVehicle = new MavlinkFramer((f) => {
      const d = decodeFrame(f);
      if (this.hideHeartbeats && d.message.kind === "heartbeat") return;
      if (this.dropFromVehicle?.(d)) return;
      this.heard.push(d);
      for (const l of [...this.listeners]) l(d, "sim", this.clock.time);
    });
    this.vehicle.onSend((bytes) => this.fromVehicle.push(Buffer.from(bytes)));
    this.deps = {
      send: (_linkId, messages) => {
        for (const m of messages) this.deliver(m);
      },
      onMessage: (l) => {
        this.listeners.add(l);
        return () => this.listeners.delete(l);
      },
      clock: this.clock,
    };
    this.client = new CommandClient(this.deps);
  }

  deliver(m: OutgoingMessage): void {
    this.sent.push(m);
    const bytes = this.encoder.encode(this.rewrite ? this.rewrite(m) : m);
    if (this.deaf) return;
    if (this.dropToVehicle > 0) {
      this.dropToVehicle--;
      return;
    }
    if (this.dropWhen?.(m)) return;
    this.toVehicle.push(bytes);
  }

  async run(ms: number, stepMs = 20): Promise<void> {
    const end = this.clock.time + ms;
    while (this.clock.time < end) {
      this.clock.time = Math.min(end, this.clock.time + stepMs);
      this.vehicle.tick(this.clock.time);
      this.clock.fireDue();
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Runs the virtual clock until the promise settles (at most maxMs). */
  async until<T>(promise: Promise<T>, maxMs = 30_000): Promise<{ value: T; elapsed: number }> {
    const start = this.clock.time;
    let settled = false;
    let value: T | undefined;
    void promise.then((v) => {
      settled = true;
      value = v;
    });
    await new Promise<void>((r) => setImmediate(r));
    while (!settled && this.clock.time - start < maxMs) await this.run(20);
    if (!settled) throw new Error(`not settled after ${maxMs} ms`);
    return { value: value as T, elapsed: this.clock.time - start };
  }

  /** GCS heartbeat, then boot until the first vehicle heartbeat (the vehicle is not ready to arm yet). */
  async start(): Promise<void> {
    this.deliver({ kind: "gcsHeartbeat" });
    await this.run(300);
  }

  /** Boots fully (scaled), as test/support/sitl/sim-harness.ts does. */
  async ready(): Promise<void> {
    this.deliver({ kind: "gcsHeartbeat" });
    await this.run(42_000 * 0.05 + 500);
  }

  commandsSent(command: number): OutgoingMessage[] {
    return this.sent.filter((m) => (m.kind === "commandLong" || m.kind === "commandInt") && m.command === command);
  }
}
