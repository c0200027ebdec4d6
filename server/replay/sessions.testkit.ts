/** Test support, imported by tests only: flights of real .tlog files in a temp data directory, and a recording sink. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import type {
  Alert, FlightSummary, IntegrityState, ReplayState, Snapshot, WholeVehicleFrame, VehicleKey, VehicleMissionInfo, VehicleState,
} from "../protocol";
import { readTlogFile, withIds } from "../mavlink";
import { ReplaySessions } from "./sessions";
import type { ReplaySink } from "./sink";

export const FIXTURE = new URL("../../test/fixtures/copter_flight_1.tlog", import.meta.url).pathname;

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "dmc-replay-"));
}

export function flightOf(id: number, tlogPath: string, sysid = 1, state: IntegrityState = "verified", sha256: string | null = null): FlightSummary {
  const key: VehicleKey = `${sysid}:1`;
  return {
    id, vehicle: { key, sysid, compid: 1, type: "copter", name: null }, startedAt: 0, endedAt: null, armedAt: null, disarmedAt: null,
    durationS: null, distanceM: 0, maxAltRelM: null, maxDistHomeM: null, takeoff: null, landing: null, pilot: null, tlogPath,
    sizeBytes: null, sha256, status: "closed", packets: 0, packetsReceived: null, packetsSent: null, messageCount: 0,
    messagesDropped: 0, previousId: null, continuedBy: null,
    integrity: { state, checkedAt: null, actualSizeBytes: null, actualSha256: state === "altered" ? "ab".repeat(32) : null },
    source: "live", notes: [],
  };
}

/** copter_flight_1.tlog as vehicle `sysid`, its clock moved by `shiftMs`, written into the data directory. */
export function rewrittenFixture(dataDir: string, name: string, sysid: number, shiftMs: number): string {
  const parts: Buffer[] = [];
  for (const e of readTlogFile(FIXTURE).entries) {
    const t = Buffer.alloc(8);
    t.writeBigUInt64BE(BigInt(e.timeUs + shiftMs * 1000));
    parts.push(t, e.frame.sysid === 1 ? withIds(Buffer.from(e.frame.bytes), sysid, e.frame.compid) : Buffer.from(e.frame.bytes));
  }
  fs.writeFileSync(path.join(dataDir, name), Buffer.concat(parts));
  return name;
}

/** What a session sent, and promises for what a test waits on. */
export class RecordingSink implements ReplaySink {
  readonly snapshots: Snapshot[] = [];
  readonly frames: WholeVehicleFrame[] = [];
  readonly alerts: Alert[] = [];
  readonly states: ReplayState[] = [];
  readonly missions: VehicleMissionInfo[] = [];
  /** Each vehicle as last sent (snapshot or frame). */
  readonly latest = new Map<VehicleKey, VehicleState>();
  private waiters: { test: () => boolean; resolve: () => void }[] = [];

  snapshot(s: Snapshot): void {
    this.snapshots.push(s);
    this.latest.clear();
    for (const v of s.vehicles) this.latest.set(v.key, v);
    this.check();
  }
  frame(f: WholeVehicleFrame): void {
    this.frames.push(f);
    for (const v of f.vehicles) this.latest.set(v.key, v);
  }
  statusText(): void {}
  link(): void {}
  event(): void {}
  alert(a: Alert): void {
    this.alerts.push(a);
  }
  mission(m: VehicleMissionInfo): void {
    this.missions.push(m);
  }
  state(s: ReplayState): void {
    this.states.push(s);
    this.check();
  }

  /** Resolves once `test` holds after a snapshot or a state. */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** The next snapshot after the `n` already received. */
  snapshotAfter(n: number): Promise<Snapshot> {
    return this.until(() => this.snapshots.length > n).then(() => this.snapshots[n]!);
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }
}

export function sessionsOn(dataDir: string, flights: FlightSummary[], opts: { checkpointMs?: number; tickMs?: number } = {}): ReplaySessions {
  const byId = new Map(flights.map((f) => [f.id, f]));
  return new ReplaySessions({
    catalogue: { get: (id) => Promise.resolve(byId.get(id) ?? null) },
    integrity: { current: (f) => Promise.resolve(f) },
    bookmarksOf: (ids) => Promise.resolve(ids.includes(1) ? [{ id: 7, flightId: 1, time: 1_700_000_000_000, end: null, note: "look", author: "rev", createdAt: 0 }] : []),
    dataDir,
    log: pino({ level: "silent" }),
    tickMs: opts.tickMs ?? 10,
    ...(opts.checkpointMs !== undefined ? { checkpointMs: opts.checkpointMs } : {}),
  });
}

/** The fields the tracker item compares: position, mode, armed, battery, mission item; and the link counters. */
export function essentials(v: VehicleState | undefined) {
  if (!v) return null;
  return { key: v.key, position: v.position, mode: v.mode, armed: v.armed, battery: v.battery, mission: v.mission?.current ?? null };
}
