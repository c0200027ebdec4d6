/**
 * Builds the seek index of a .tlog (see index-format.ts) in one streaming pass through the replay pipeline: the
 * byte offset of every second, the pipeline's state every checkpointMs, and the timeline marks. Synchronous and
 * proportional to the file: it runs in a worker thread (index-worker.ts), never on the server's event loop.
 */
import fs from "node:fs";
import path from "node:path";
import pino from "pino";
import type { AlertConfig } from "../config";
import type { VehicleKey } from "../protocol";
import { MSG_ID, TlogStreamParser, decodeFrame } from "../mavlink";
import type { Frame, TlogCounters } from "../mavlink";
import { INDEX_VERSION, TRAIL_POINT_BYTES, trailerOf } from "./index-format";
import { TrailSpool } from "./trail-spool";
import type { Checkpoint, IndexMeta } from "./index-format";
import { MarkCollector } from "./marks";
import { FlightPipeline } from "./pipeline";
import { HistoryCollector } from "./history";
import { MissionTransfers, TRANSFER_MSGIDS } from "./mission-transfers";

export interface IndexBuildRequest {
  tlogPath: string;
  /** Written to `${outPath}.tmp`, then renamed: a reader never sees half an index. */
  outPath: string;
  alerts: AlertConfig;
  configKey: string;
  checkpointMs: number;
  /** Whom damaged spans are put on (the flight's vehicle). */
  vehicle: VehicleKey;
}

const CHUNK = 1024 * 1024;

function damageOf(before: TlogCounters, after: TlogCounters): string | null {
  const parts: string[] = [];
  if (after.garbageBytes > before.garbageBytes) parts.push(`${after.garbageBytes - before.garbageBytes} bytes unreadable`);
  if (after.crcErrors > before.crcErrors) parts.push(`${after.crcErrors - before.crcErrors} checksum errors`);
  if (after.unknownMessages > before.unknownMessages) parts.push(`${after.unknownMessages - before.unknownMessages} unknown messages`);
  return parts.length === 0 ? null : parts.join(", ");
}

/** A mission-protocol frame of either side; one that does not decode is counted by the pipeline already. */
function missionMessage(transfers: MissionTransfers, frame: Frame, time: number): void {
  if (frame.msgid === MSG_ID.MISSION_CLEAR_ALL) {
    transfers.clearAll(frame);
    return;
  }
  try {
    transfers.message(decodeFrame(frame), time);
  } catch {
    // Malformed: skipped, as the live path skips it.
  }
}

/** Builds the index; on failure leaves nothing behind but what was there (the .tlog is only ever read). */
export function buildIndex(req: IndexBuildRequest): IndexMeta {
  try {
    return build(req);
  } catch (err) {
    for (const f of fs.readdirSync(path.dirname(req.outPath))) {
      const name = path.basename(req.outPath);
      if (f.startsWith(`${name}.`)) fs.rmSync(path.join(path.dirname(req.outPath), f), { force: true });
    }
    throw err;
  }
}

function build(req: IndexBuildRequest): IndexMeta {
  const stat = fs.statSync(req.tlogPath);
  const marks = new MarkCollector();
  const tmp = `${req.outPath}.tmp`;
  const out = fs.openSync(tmp, "w");
  let written = 0;
  const checkpoints: Checkpoint[] = [];
  let entryOffset = 0;
  const spool = new TrailSpool(`${req.outPath}.trails`);
  const history = new HistoryCollector();
  const pipeline: FlightPipeline = new FlightPipeline({ alerts: req.alerts, log: pino({ level: "silent" }) }, {
    statusText: (e) => marks.statusText(e),
    alert: (a) => {
      marks.alert(a);
      history.alert(a);
    },
    event: (e) => {
      marks.event(e);
      history.event(e);
    },
    commandAck: (e) => marks.commandAck(e),
    message: (d, t) => marks.message(d, t),
    trailPoint: (key, p) => spool.add(key, p),
    beforeTick: (t) => {
      if (t % req.checkpointMs !== 0) return;
      const blob = Buffer.from(JSON.stringify(pipeline.dump()));
      fs.writeSync(out, blob, 0, blob.length, written);
      checkpoints.push({ time: t, offset: entryOffset, at: written, length: blob.length });
      written += blob.length;
    },
  });
  let first: number | null = null;
  let last: number | null = null;
  const transfers = new MissionTransfers((key) => last !== null && pipeline.registry.get(key, last) !== undefined, (t, info) => history.mission(t, info));
  let fromSecond = 0;
  const offsets: number[] = [];
  const seen: TlogCounters = { frames: 0, garbageBytes: 0, crcErrors: 0, unknownMessages: 0, truncated: 0 };
  const parser = new TlogStreamParser((entry, offset) => {
    // A clock stepping back in the file is held at its latest time: playback never goes backwards.
    const time = Math.max(entry.timeUs / 1000, last ?? -Infinity);
    if (first === null) {
      first = time;
      fromSecond = Math.floor(time / 1000);
    }
    while ((fromSecond + offsets.length) * 1000 <= time) offsets.push(offset);
    const what = damageOf(seen, parser.counters);
    if (what !== null && last !== null) marks.damaged(last, time, req.vehicle, what);
    Object.assign(seen, parser.counters);
    entryOffset = offset;
    last = time;
    pipeline.packet(entry.frame, time);
    if (TRANSFER_MSGIDS.has(entry.frame.msgid)) missionMessage(transfers, entry.frame, time);
  });
  const fd = fs.openSync(req.tlogPath, "r");
  try {
    const buf = Buffer.alloc(CHUNK);
    for (let pos = 0; pos < stat.size;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      // Copied: entries are views into what was pushed, and the buffer is read into again.
      parser.push(Buffer.from(buf.subarray(0, n)));
      pos += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  const counters = parser.end();
  const tail = damageOf(seen, counters);
  if (tail !== null && last !== null) marks.damaged(last, last, req.vehicle, counters.truncated ? `${tail}, cut short` : tail);
  else if (counters.truncated && last !== null) marks.damaged(last, last, req.vehicle, "the last entry is cut short");
  const trails = spool.copyInto(out, written);
  written += trails.reduce((n, t) => n + t.count * TRAIL_POINT_BYTES, 0);
  const meta: IndexMeta = {
    version: INDEX_VERSION, size: stat.size, mtimeMs: stat.mtimeMs, configKey: req.configKey, first, last, fromSecond, offsets,
    checkpointMs: req.checkpointMs, checkpoints, marks: marks.finish(), marksDropped: marks.dropped, counters: { ...counters },
    vehicles: [...marks.firsts].map(([key, f]) => ({ key, ...f })), trails, history: history.finish(),
  };
  const json = Buffer.from(JSON.stringify(meta));
  fs.writeSync(out, json, 0, json.length, written);
  fs.writeSync(out, trailerOf(written, json.length), 0, 16, written + json.length);
  fs.closeSync(out);
  fs.renameSync(tmp, req.outPath);
  return meta;
}
