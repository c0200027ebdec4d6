import path from "node:path";
import type { Logger } from "pino";
import type { Frame } from "../mavlink";
import { copyFrame } from "../mavlink";
import type { VehicleKey } from "../protocol";
import type { FlightCatalogue, FlightStats } from "./catalogue";
import type { DemuxSink } from "./demux";
import { FlightDemux } from "./demux";
import type { RecorderFs } from "./recorder-fs";
import { failureKind, nodeFs } from "./recorder-fs";
import type { RecorderOptions, RecorderOptionsInput } from "./recorder-options";
import { recorderOptions } from "./recorder-options";
import { sealInterrupted } from "./recorder-recover";
import type { LiveFlight } from "./recorder-rows";
import { FlightRows } from "./recorder-rows";
import { SessionLogs, vehicleDir } from "./recorder-sessions";
import type { FlightStart, SegPacket } from "./segmenter";
import { packetTime } from "./segmenter";
import { MemoryBudget, TlogWriter } from "./tlog-writer";

/** What the ground station hands over for each packet (its PacketEvent): received from a vehicle, or sent by us. */
export type RecordedPacket =
  | { direction: "in"; linkId: string; bytes: Buffer; time: number; frame: Frame }
  | { direction: "out"; linkId: string; sysid: number; compid: number; bytes: Buffer; time: number };

/**
 * "dropped": packets lost because the disk refused them for too long; "recovered": writing works again;
 * "catalogue" / "catalogue-recovered": the database refuses the flights' rows (the files are still written), and
 * takes them again.
 */
export type RecorderProblemKind = "disk-full" | "unwritable" | "dropped" | "recovered" | "catalogue" | "catalogue-recovered";

export interface FlightRecorderDeps {
  catalogue: FlightCatalogue;
  /** Absolute directory of the evidence files: flights/ goes below it, and the catalogue's paths are relative to it. */
  dataDir: string;
  /** Where this server's raw session and quarantine logs go (default: dataDir). */
  logsDir?: string;
  clock: () => number;
  log: Logger;
  /** The user in control of a vehicle (recorded with a flight when it starts). */
  pilotOf: (key: VehicleKey) => string | null;
  /** Storage trouble, and its end, for the operators (alerts). Called once per episode, not per packet. */
  problem: (kind: RecorderProblemKind, message: string) => void;
  fs?: RecorderFs;
  options?: RecorderOptionsInput;
  /** This server's id, written with its flights, when servers share the database (serverIdOf). */
  server?: string | null;
  /** Runs `fn` every `ms` until the returned function is called (tests drive tick() themselves). */
  every?: (ms: number, fn: () => void) => () => void;
}

interface Recording {
  live: LiveFlight;
  /** Who held control at arming, or the first to take it during the flight; null while nobody has. */
  pilot: string | null;
}

interface Closing extends Recording {
  stats: FlightStats;
}

const defaultEvery = (ms: number, fn: () => void): (() => void) => {
  const t = setInterval(fn, ms);
  t.unref();
  return () => clearInterval(t);
};

/**
 * Records every packet of every vehicle, raw, in .tlog files: a file per flight (cut by the segmenter, sealed with
 * its size and SHA-256 when it closes), and an hourly session log for packets outside flights. Writes are buffered
 * and flushed every flushMs; a failing disk keeps the packets in a bounded buffer and writing resumes when it can.
 */
export class FlightRecorder implements DemuxSink {
  readonly options: RecorderOptions;
  private readonly fs: RecorderFs;
  private readonly demux: FlightDemux;
  private readonly budget: MemoryBudget;
  private readonly sessions: SessionLogs;
  /** What another source sent in the name of a bound vehicle: kept, never in a flight. */
  private readonly quarantined: SessionLogs;
  /** Per link, the last packet written to its session log: a broadcast reaches every vehicle of the link, once. */
  private readonly lastOutside = new Map<string, SegPacket>();
  private readonly flights = new Map<VehicleKey, Recording>();
  private closing: Closing[] = [];
  private readonly rows: FlightRows;
  private orphans = new Map<VehicleKey, number>();
  private lastSync = -Infinity;
  private lastStats = -Infinity;
  private lastRetention = -Infinity;
  private failing: RecorderProblemKind | null = null;
  /** budget.dropped when the current drop episode was reported (null: none reported). */
  private droppedReported: number | null = null;
  private stopTimer: (() => void) | null = null;
  /** budget.dropped at the end of the last good tick. */
  private lastDropped = 0;

  constructor(private readonly deps: FlightRecorderDeps) {
    this.options = recorderOptions(deps.options);
    this.fs = deps.fs ?? nodeFs;
    this.demux = new FlightDemux(this, this.options);
    this.budget = new MemoryBudget(this.options.maxBufferedBytes);
    this.sessions = new SessionLogs(this.fs, path.join(deps.logsDir ?? deps.dataDir, "sessions"), this.budget);
    this.quarantined = new SessionLogs(this.fs, path.join(deps.logsDir ?? deps.dataDir, "quarantine"), this.budget);
    this.rows = new FlightRows({
      catalogue: deps.catalogue,
      log: deps.log,
      rename: (live, n) => {
        const relPath = live.row.tlogPath.replace(/(-\d+)?\.tlog$/, `-${n}.tlog`);
        live.writer.moveTo(path.join(deps.dataDir, relPath));
        return relPath;
      },
      created: (live) => deps.log.info({ flight: live.id, file: live.row.tlogPath }, "flight catalogued"),
      problem: (message) => deps.problem(message === null ? "catalogue-recovered" : "catalogue", message ?? "Flight catalogue written again."),
    });
  }

  /** Seals the flights a crash left open, then starts the flush timer. */
  async start(): Promise<void> {
    this.orphans = await sealInterrupted(this.deps.catalogue, this.deps.dataDir, this.deps.log, this.deps.server ?? null);
    this.stopTimer ??= (this.deps.every ?? defaultEvery)(this.options.flushMs, () => this.tick());
  }

  /**
   * Another server that kept its files in this directory is gone (its lease lapsed) with flights still recording:
   * they are sealed as interrupted, as its own restart would seal them, and a vehicle then heard here still armed
   * continues its flight as a linked segment. Returns the flights sealed.
   */
  async continueFrom(server: string): Promise<number[]> {
    const sealed = await sealInterrupted(this.deps.catalogue, this.deps.dataDir, this.deps.log, server, true);
    for (const [key, id] of sealed) {
      // Heard here already (its link taken over before the seal): the flight under way continues the sealed one.
      const under = this.flights.get(key)?.live.id ?? null;
      if (under !== null && await this.deps.catalogue.linkPrevious(under, id)) {
        this.deps.log.info({ flight: under, previous: id, vehicle: key }, "flight linked to the one a server gone left open");
        continue;
      }
      this.orphans.set(key, id);
    }
    return [...sealed.values()];
  }

  /**
   * The id of the flight being recorded for a vehicle, or null between flights (and for the moment between its
   * arming and its row's write, or while the database refuses the row).
   */
  flightOf(key: VehicleKey): number | null {
    return this.flights.get(key)?.live.id ?? null;
  }

  /** The flight being recorded for each vehicle in the air (those whose row is written). */
  recordingNow(): Map<VehicleKey, number> {
    const now = new Map<VehicleKey, number>();
    for (const [k, r] of this.flights) if (r.live.id !== null) now.set(k, r.live.id);
    return now;
  }

  /** Flights whose catalogue row waits for a write (a new row, statistics, a pilot or a seal). */
  get catalogueBacklog(): number {
    return this.rows.backlog;
  }

  /** Resolves once the catalogue writes asked so far were tried (tests; close). */
  async settled(): Promise<void> {
    await this.rows.flush();
  }

  /** One packet in or out. Never throws: the ground station's packet path must not break on a recording fault. */
  packet(p: RecordedPacket): void {
    try {
      // Copied: the link's buffer is reused, and these bytes wait for the disk (or the pre-roll) for a while.
      const timeUs = p.time * 1000;
      if (p.direction === "in") this.demux.push({ direction: "in", linkId: p.linkId, timeUs, frame: copyFrame(p.frame) });
      else this.demux.push({ direction: "out", linkId: p.linkId, timeUs, bytes: Buffer.from(p.bytes), target: { sysid: p.sysid, compid: p.compid } });
    } catch (err) {
      this.deps.log.error({ err }, "recording a packet failed");
    }
  }

  /**
   * A packet sent as a bound vehicle from another source (a second radio, a forger): kept in the link's quarantine
   * log for investigation, never in the vehicle's flight. Never throws.
   */
  quarantine(linkId: string, time: number, bytes: Buffer): void {
    try {
      this.quarantined.append(linkId, time, time * 1000, Buffer.from(bytes));
    } catch (err) {
      this.deps.log.error({ err }, "quarantining a packet failed");
    }
  }

  /** Forgets a vehicle dropped by the ground station (kept while a flight of it is being recorded). */
  forget(key: VehicleKey): void {
    this.demux.forget(key);
  }

  /** Periodic work (every flushMs): end flights past their post-roll, write, fsync, statistics, retention. */
  tick(): void {
    const now = this.deps.clock();
    const o = this.options;
    this.demux.expire(now);
    const sync = now - this.lastSync >= o.fsyncMs;
    const failure = this.flushAll(sync, now);
    if (failure === null) {
      if (sync) this.lastSync = now;
      this.lastDropped = this.budget.dropped;
      if (this.failing !== null || this.droppedReported !== null) {
        this.failing = null;
        const lost = this.budget.dropped - (this.droppedReported ?? this.budget.dropped);
        this.droppedReported = null;
        this.deps.log.info({ lost }, "recording storage works again");
        this.deps.problem("recovered", `Flight recording: the data directory is writable again; buffered packets were written${
          lost > 0 ? `, ${lost} packets were lost` : ""}.`);
      }
    } else {
      this.failed(failure);
    }
    if (now - this.lastStats >= o.statsMs) {
      this.lastStats = now;
      for (const [key, stats] of this.demux.current()) {
        const r = this.flights.get(key);
        if (r) r.live.stats = stats;
      }
      this.notePilots();
      // Written behind, the flights together in one transaction, never per packet; the messages collected since
      // the last update are appended.
      this.rows.changed();
    }
    if (now - this.lastRetention >= o.retentionEveryMs) {
      this.lastRetention = now;
      this.retention(now);
    }
    this.reportDrops();
  }

  /** A flight armed with nobody in control gets as pilot the first person who takes control during it. */
  private notePilots(): void {
    for (const [key, r] of this.flights) {
      if (r.pilot !== null) continue;
      r.pilot = this.deps.pilotOf(key);
      if (r.pilot !== null) r.live.pilot = r.pilot;
    }
  }

  /** Once per episode: the first packet lost for a full buffer is reported, the total when writing resumes. */
  private reportDrops(): void {
    if (this.droppedReported !== null || this.budget.dropped === this.lastDropped) return;
    this.droppedReported = this.lastDropped;
    this.deps.log.error({ buffered: this.budget.used }, "recording buffer full: packets are being lost");
    this.deps.problem("dropped", "Flight recording: the memory buffer is full too; packets are being lost until the disk can be written.");
  }

  /** Ends every flight (sealed as it is), writes what is pending, closes the files and writes their rows. */
  async close(): Promise<void> {
    this.stopTimer?.();
    this.stopTimer = null;
    this.demux.finish();
    // The rows of flights that just started are written first: their files are held until then.
    await this.rows.flush();
    this.tick();
    for (const c of this.closing) {
      // The disk is still failing: the flight stays "recording" and the next start seals what reached the file.
      if (c.live.writer.isHeld) c.live.writer.release();
      c.live.writer.abandon();
      this.deps.log.error({ flight: c.live.id, file: c.live.row.tlogPath }, "flight file could not be completed at shutdown");
    }
    this.closing = [];
    this.sessions.close();
    this.quarantined.close();
    await this.rows.stop();
  }

  flightStarted(key: VehicleKey, start: FlightStart, ids: { sysid: number; compid: number }): void {
    const first = start.preRoll[0];
    const startedAt = first ? packetTime(first.timeUs) : start.armedAt;
    const previousId = start.firstSight ? this.orphans.get(key) ?? null : null;
    this.orphans.delete(key);
    const relPath = this.freeName(key, startedAt);
    // Held: nothing reaches the disk before the flight's row exists (FlightRows).
    const writer = new TlogWriter(this.fs, path.join(this.deps.dataDir, relPath), this.budget, true, true);
    const pilot = this.deps.pilotOf(key);
    const live: LiveFlight = {
      id: null, writer, stats: null, pilot: null, seal: null, names: 1,
      row: {
        vehicle: { key, sysid: ids.sysid, compid: ids.compid, type: start.vehicleClass, name: null },
        startedAt, tlogPath: relPath, status: "recording", pilot, previousId, source: "live", recordedBy: this.deps.server ?? null,
      },
    };
    this.flights.set(key, { live, pilot });
    for (const p of start.preRoll) writer.append(p.timeUs, p.bytes);
    this.rows.add(live);
    this.deps.log.info({ vehicle: key, file: relPath, previousId, preRoll: start.preRoll.length }, "flight started");
  }

  write(key: VehicleKey, into: "flight" | "outside", p: SegPacket, linkId: string): void {
    const r = into === "flight" ? this.flights.get(key) : undefined;
    if (r) {
      r.live.writer.append(p.timeUs, p.bytes);
      return;
    }
    // The same bytes: one broadcast reaching several vehicles (each stream may carry its own copy of the packet).
    if (this.lastOutside.get(linkId)?.bytes === p.bytes) return;
    this.lastOutside.set(linkId, p);
    this.sessions.append(linkId, packetTime(p.timeUs), p.timeUs, p.bytes);
  }

  flightEnded(key: VehicleKey, stats: FlightStats): void {
    const r = this.flights.get(key);
    if (!r) return;
    this.flights.delete(key);
    r.live.stats = stats;
    this.rows.changed();
    this.closing.push({ ...r, stats });
    this.deps.log.info({ flight: r.live.id, vehicle: key, packets: stats.packets }, "flight ended");
    // Its file is closed at the next tick, with everything flushed, and its row sealed after its last statistics.
  }

  /** A file name no file has yet (the catalogue may still refuse it: FlightRows then takes the next). */
  private freeName(key: VehicleKey, startedAt: number): string {
    const stamp = new Date(startedAt).toISOString().replace(/:/g, "-");
    const taken = new Set([...this.flights.values(), ...this.closing].map((r) => r.live.row.tlogPath));
    for (let n = 1; ; n++) {
      const relPath = path.posix.join("flights", vehicleDir(key), `${stamp}${n > 1 ? `-${n}` : ""}.tlog`);
      if (!taken.has(relPath) && !this.fs.existsSync(path.join(this.deps.dataDir, relPath))) return relPath;
    }
  }

  /** Returns the first failure, after trying every file. */
  private flushAll(sync: boolean, now: number): unknown {
    let first: unknown = null;
    for (const r of this.flights.values()) {
      try {
        r.live.writer.flush(sync);
      } catch (err) {
        first ??= err;
      }
    }
    for (const c of [...this.closing]) {
      // Its row is still being written: closed at a later tick.
      if (c.live.writer.isHeld) continue;
      try {
        const seal = c.live.writer.close();
        this.closing.splice(this.closing.indexOf(c), 1);
        c.live.seal = { endedAt: c.stats.endedAt ?? now, ...seal };
        this.rows.changed();
      } catch (err) {
        first ??= err;
      }
    }
    for (const logs of [this.sessions, this.quarantined]) {
      try {
        logs.flush(sync, now);
      } catch (err) {
        first ??= err;
      }
    }
    return first;
  }

  private failed(err: unknown): void {
    const kind = failureKind(err);
    if (this.failing === kind) return;
    this.failing = kind;
    this.deps.log.error({ err, buffered: this.budget.used }, "recording cannot write to the data directory");
    const what = kind === "disk-full" ? "the disk is full" : `the data directory cannot be written (${(err as Error).message})`;
    this.deps.problem(kind, `Flight recording: ${what}. Packets are kept in memory (up to ${Math.round(this.options.maxBufferedBytes / 1024 ** 2)} MiB) until it can write again.`);
  }

  private retention(now: number): void {
    try {
      const limits = { maxBytes: this.options.sessionMaxBytes, maxAgeMs: this.options.sessionMaxAgeMs };
      const removed = [...this.sessions.enforce(limits, now), ...this.quarantined.enforce(limits, now)];
      if (removed.length > 0) this.deps.log.info({ files: removed.length }, "old session logs removed (retention)");
    } catch (err) {
      this.deps.log.warn({ err }, "session log retention failed");
    }
  }
}
