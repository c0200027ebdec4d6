/**
 * One replayed flight's share of the live pipeline: the same ingest (decoder), VehicleRegistry (state reducer) and
 * AlertEngine as live, fed a .tlog's packets on the file's clock. The alert rules and link sweep run every
 * ENGINE_TICK_MS of file time, at fixed multiples of it, whatever the playback speed: so what is raised does not
 * depend on how fast the reviewer plays, and a state restored from a checkpoint continues exactly as played.
 * The rules run when the file is indexed, over the whole file in order (see history.ts); a session's pipelines run
 * without them and play what they raised from the index.
 */
import type { Logger } from "pino";
import type { Alert, LinkEvent, StatusTextEvent, TrailPoint, VehicleEvent, VehicleKey } from "../protocol";
import { vehicleKey } from "../protocol";
import type { AlertConfig } from "../config";
import { AlertEngine } from "../alerts";
import type { Decoded, Frame } from "../mavlink";
import { GCS_DEFAULT_IDS } from "../mavlink";
import { TelemetryIngest, VehicleRegistry } from "../vehicles";
import type { CommandAckEvent, RegistryDump } from "../vehicles";

/** The live server's tick (config tickMs default): the rules see the replayed vehicles as often as live ones. */
export const ENGINE_TICK_MS = 100;
/** As the live default: a vehicle silent this long is lost. */
export const LOST_AFTER_MS = 5000;
/** GLOBAL_POSITION_INT and ATTITUDE start with time_boot_ms (uint32): the vehicle's own clock. */
const BOOT_TIME_MSGIDS: ReadonlySet<number> = new Set([30, 33]);

export interface PipelineOutputs {
  statusText?(e: StatusTextEvent): void;
  link?(e: LinkEvent): void;
  alert?(a: Alert): void;
  event?(e: VehicleEvent): void;
  commandAck?(e: CommandAckEvent): void;
  /** Every decoded message of a vehicle (after the registry). */
  message?(decoded: Decoded, time: number): void;
  /** A point added to a vehicle's trail (the index keeps trails apart from its checkpoints). */
  trailPoint?(key: VehicleKey, point: TrailPoint): void;
  /** Just before the rules' tick at `time` runs: where a checkpoint is taken. */
  beforeTick?(time: number): void;
}

export interface PipelineOptions {
  /** The alert rules' settings, or null to run without the rules (a session: they ran when the file was indexed). */
  alerts: AlertConfig | null;
  log: Logger;
}

/**
 * A pipeline's state as plain data: the registry's (without its trails), where the rules' next tick falls, the
 * vehicles' clocks, and per vehicle the number of trail points added so far and the trail's length: the trail is
 * the last `length` of the points added, which the index keeps once (not in every checkpoint).
 */
export interface PipelineDump {
  registry: RegistryDump;
  nextTick: number | null;
  boot: [VehicleKey, number, number][];
  trails: [VehicleKey, number, number][];
}

const link = { id: "tlog", countDecodeError: () => undefined };

export class FlightPipeline {
  readonly registry: VehicleRegistry;
  private engine: AlertEngine | null;
  private alertIds = 0;
  private ingest: TelemetryIngest;
  private nextTick: number | null = null;
  /** Each vehicle's last time_boot_ms and the file time it was read at. */
  private boot = new Map<VehicleKey, { bootMs: number; at: number }>();
  /** Trail points added per vehicle since the file's start. */
  private trailCounts = new Map<VehicleKey, number>();
  /** While false nothing goes out (a seek playing forward to its target). */
  emitting = true;

  constructor(private readonly opts: PipelineOptions, private readonly out: PipelineOutputs) {
    this.registry = new VehicleRegistry({ lostAfterMs: LOST_AFTER_MS }, {
      statusText: (e) => {
        this.engine?.statusText(e.key, e.status);
        if (this.emitting) out.statusText?.(e);
      },
      link: (e) => {
        this.engine?.link(e);
        if (this.emitting) out.link?.(e);
      },
      commandAck: (e) => {
        this.engine?.commandAck(e);
        // No command gate in a recording: the vehicle's acceptance says a mode change that follows was asked for.
        if (e.result === 0) this.engine?.commandAccepted(e.key, e.command, e.time);
        if (this.emitting) out.commandAck?.(e);
      },
      trailPoint: (key, point) => {
        this.trailCounts.set(key, (this.trailCounts.get(key) ?? 0) + 1);
        out.trailPoint?.(key, point);
      },
    });
    this.engine = this.newEngine();
    this.ingest = this.newIngest();
  }

  /** One entry of the file, in file order. */
  packet(frame: Frame, time: number): void {
    this.tickTo(time);
    this.ingest.frame(link, frame, time);
    if (BOOT_TIME_MSGIDS.has(frame.msgid) && frame.payload.length >= 4) {
      const key = vehicleKey(frame.sysid, frame.compid);
      if (this.registry.get(key, time) !== undefined) this.boot.set(key, { bootMs: frame.payload.readUInt32LE(0), at: time });
    }
  }

  /** Runs the rules' ticks due up to `time` (inclusive). */
  tickTo(time: number): void {
    let t: number = this.nextTick ?? Math.ceil(time / ENGINE_TICK_MS) * ENGINE_TICK_MS;
    this.nextTick = t;
    for (; t <= time; t = this.nextTick) {
      this.out.beforeTick?.(t);
      this.registry.sweep(t);
      this.engine?.evaluate(this.registry.snapshot(t), t);
      this.nextTick = t + ENGINE_TICK_MS;
    }
  }

  /** The vehicles' own clocks at `time`, ms since their boot. */
  vehicleTimes(time: number): Record<VehicleKey, number> {
    const out: Record<VehicleKey, number> = {};
    for (const [key, b] of this.boot) out[key] = Math.max(0, Math.round(b.bootMs + (time - b.at)));
    return out;
  }

  dump(): PipelineDump {
    const registry = this.registry.dump();
    const trails: PipelineDump["trails"] = registry.vehicles.map((v) => [v.state.key, this.trailCounts.get(v.state.key) ?? 0, v.trail.length]);
    for (const v of registry.vehicles) v.trail = [];
    return { registry, nextTick: this.nextTick, boot: [...this.boot].map(([k, b]) => [k, b.bootMs, b.at]), trails };
  }

  /**
   * Starts again from a dump (or from nothing). The vehicles' state is exactly the dumped one; the rules, if any,
   * start afresh (their episodes are not in the dump: a session plays them from the index's history instead).
   */
  restore(d: PipelineDump | null, trails: ReadonlyMap<VehicleKey, TrailPoint[]> = new Map()): void {
    const registry = d?.registry ?? { vehicles: [] };
    for (const v of registry.vehicles) v.trail = trails.get(v.state.key) ?? [];
    this.registry.restore(registry);
    this.trailCounts = new Map((d?.trails ?? []).map(([k, count]) => [k, count]));
    this.nextTick = d?.nextTick ?? null;
    this.boot = new Map((d?.boot ?? []).map(([k, bootMs, at]) => [k, { bootMs, at }]));
    this.engine = this.newEngine();
    this.ingest = this.newIngest();
  }

  private newEngine(): AlertEngine | null {
    const out = this.out;
    if (this.opts.alerts === null) return null;
    this.alertIds = 0;
    return new AlertEngine({
      config: this.opts.alerts,
      // In memory only: a replayed flight's alerts were raised, if at all, when it flew. Ids from the session.
      store: null,
      ids: () => ++this.alertIds,
      clock: () => this.nextTick ?? 0,
      emit: (a) => {
        if (this.emitting) out.alert?.(a);
      },
      emitEvent: (e) => {
        if (this.emitting) out.event?.(e);
      },
      // The fence uploaded to the vehicle is not known from its recording: the vehicle's own breach reports count.
      fenceOf: () => null,
      audit: { append: () => Promise.resolve() },
      // Raises are logged by live alerts; a replay re-raising old ones would only fill the log.
      log: this.opts.log.child({ part: "replay-alerts" }, { level: "warn" }),
    });
  }

  private newIngest(): TelemetryIngest {
    const ingest = new TelemetryIngest(this.registry, null, GCS_DEFAULT_IDS, this.opts.log);
    ingest.onMessage((decoded, _link, time) => {
      if (this.emitting) this.out.message?.(decoded, time);
    });
    return ingest;
  }
}
