/** Test support, imported by tests only: a temp data directory, a virtual clock, a disk that fails on demand.
 * It stays beside the recorder because it needs flights/ internals (nodeFs, packetTime). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import type { VehicleKey } from "../protocol";
import type { TlogEntry } from "../mavlink";
import { MavlinkEncoder, readTlogFile } from "../mavlink";
import { AppSql, openAppDatabase } from "../storage";
import type { Db } from "../storage";
import { MIGRATIONS } from "../migrations";
import { FlightCatalogue } from "./catalogue";
import type { RecordedPacket, RecorderProblemKind } from "./recorder";
import { FlightRecorder } from "./recorder";
import type { RecorderFs } from "./recorder-fs";
import { nodeFs } from "./recorder-fs";
import type { RecorderOptionsInput } from "./recorder-options";
import { packetTime } from "./segmenter";

export const fixtureEntries = (): TlogEntry[] =>
  readTlogFile(new URL("../../test/fixtures/copter_flight_1.tlog", import.meta.url).pathname).entries;

/** A disk that throws `failWith` (e.g. "ENOSPC") on every write and open while set. */
export function failingFs(): RecorderFs & { failWith: string | null } {
  const f: RecorderFs & { failWith: string | null } = {
    ...nodeFs,
    failWith: null,
    openSync(p, flags) {
      if (f.failWith) throw Object.assign(new Error(`${f.failWith}: open ${p}`), { code: f.failWith });
      return nodeFs.openSync(p, flags);
    },
    writeSync(fd, b, o, l, pos) {
      if (f.failWith) throw Object.assign(new Error(`${f.failWith}: write`), { code: f.failWith });
      return nodeFs.writeSync(fd, b, o, l, pos);
    },
  };
  return f;
}

export interface Rig {
  dataDir: string;
  db: Db;
  catalogue: FlightCatalogue;
  recorder: FlightRecorder;
  clock: { now: number };
  problems: { kind: RecorderProblemKind; message: string }[];
  /**
   * Sends entries in as the link would, ticking the recorder each virtual second; also our heartbeat at 1 Hz.
   * After each tick, waits for the catalogue writes it asked for (as the event loop lets them run between ticks).
   */
  play(entries: readonly TlogEntry[]): Promise<void>;
  /** Advances the virtual clock, ticking every second. */
  advance(toMs: number): Promise<void>;
  reopen(): Promise<Rig>;
}

export async function recorderRig(opts: {
  dataDir?: string; fs?: RecorderFs; options?: RecorderOptionsInput; heartbeats?: boolean; tickMs?: number;
  /** Who holds control of a vehicle (default: "pia" always). */
  pilotOf?: (key: VehicleKey) => string | null;
} = {}): Promise<Rig> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "dmc-rec-"));
  const log = pino({ level: "silent" });
  const db = openAppDatabase(dataDir, log, MIGRATIONS);
  const catalogue = new FlightCatalogue(AppSql.sqlite(db));
  const clock = { now: 0 };
  const problems: Rig["problems"] = [];
  const recorder = new FlightRecorder({
    catalogue, dataDir, clock: () => clock.now, log, pilotOf: opts.pilotOf ?? (() => "pia"),
    problem: (kind, message) => problems.push({ kind, message }),
    every: () => () => {}, ...(opts.fs ? { fs: opts.fs } : {}), ...(opts.options ? { options: opts.options } : {}),
  });
  await recorder.start();
  const tickMs = opts.tickMs ?? 1000;
  const gcs = new MavlinkEncoder({ sysid: 255, compid: 190 });
  let nextTick = -1;
  let nextBeat = -1;
  const advance = async (to: number) => {
    if (nextTick < 0) nextTick = to + tickMs;
    while (nextTick <= to) {
      clock.now = nextTick;
      if (opts.heartbeats !== false && nextBeat >= 0 && nextBeat <= nextTick) {
        recorder.packet({ direction: "out", linkId: "link1", sysid: 0, compid: 0, bytes: gcs.encode({ kind: "gcsHeartbeat" }), time: nextTick });
        nextBeat = nextTick + 1000;
      }
      recorder.tick();
      await recorder.settled();
      nextTick += tickMs;
    }
    clock.now = to;
  };
  const rig: Rig = {
    dataDir, db, catalogue, recorder, clock, problems,
    async play(entries) {
      for (const e of entries) {
        const time = packetTime(e.timeUs);
        await advance(time);
        if (nextBeat < 0) nextBeat = time + 1000;
        const p: RecordedPacket = { direction: "in", linkId: "link1", bytes: e.frame.bytes, time, frame: e.frame };
        recorder.packet(p);
      }
    },
    advance,
    async reopen() {
      db.close();
      return recorderRig({ ...opts, dataDir });
    },
  };
  return rig;
}
