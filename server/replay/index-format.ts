/**
 * The seek index of one .tlog, a derived file beside the catalogue (index/<key>.idx), never part of the record:
 *   [checkpoint blobs: JSON of a PipelineDump each][trail points][meta: JSON][trailer: "RIX1", meta offset (f64 LE), meta length (u32 LE)]
 * The meta is read when a session opens; a checkpoint only when a seek needs it (read by its offset), so a long
 * file's index costs memory for its per-second table and its marks, not for its states.
 */
import type { FileHandle } from "node:fs/promises";
import { z } from "zod";
import type { ReplayMark, TrailPoint, VehicleKey } from "../protocol";
import { TRAIL_MAX_POINTS } from "../protocol";
import type { PipelineDump } from "./pipeline";
import { historySchema } from "./history";
import type { FlightHistory } from "./history";

export const INDEX_VERSION = 2;
export const TRAILER = Buffer.from("RIX1");
export const TRAILER_LENGTH = 16;
/** A meta larger than this is not one we wrote (marks are capped, a second's offset is a number). */
const MAX_META_BYTES = 64 * 1024 * 1024;
/** Nor a checkpoint larger than this: a registry of 256 vehicles with full trails stays far below. */
export const MAX_CHECKPOINT_BYTES = 64 * 1024 * 1024;

const markSchema = z.object({
  time: z.number(),
  end: z.number().optional(),
  vehicle: z.string().regex(/^\d+:\d+$/),
  kind: z.enum(["armed", "disarmed", "takeoff", "landing", "mode", "alert", "message", "mission_item", "link_gap", "bookmark", "damaged"]),
  text: z.string(),
  severity: z.enum(["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"]).optional(),
  uncommanded: z.boolean().optional(),
});

export const indexMetaSchema = z.object({
  version: z.literal(INDEX_VERSION),
  /** The .tlog as indexed: a file whose size or mtime differs is indexed again. */
  size: z.number(),
  mtimeMs: z.number(),
  /** The alert settings the marks were raised with. */
  configKey: z.string(),
  /** File time (ms) of the first and last entries, null for a file without one. */
  first: z.number().nullable(),
  last: z.number().nullable(),
  /** offsets[i]: byte offset of the first entry at or after second (fromSecond + i). */
  fromSecond: z.number(),
  offsets: z.array(z.number()),
  checkpointMs: z.number(),
  checkpoints: z.array(z.object({ time: z.number(), offset: z.number(), at: z.number(), length: z.number() })),
  marks: z.array(markSchema),
  marksDropped: z.number(),
  counters: z.object({ frames: z.number(), garbageBytes: z.number(), crcErrors: z.number(), unknownMessages: z.number(), truncated: z.number() }),
  /** Per vehicle: its trail points, each 4 float64 LE (lat, lon, altAmsl, time), `count` of them from byte `at`. */
  trails: z.array(z.object({ key: z.string(), at: z.number(), count: z.number() })),
  /** Per vehicle in the file: first take-off and first arming (file time), for "align at take-off". */
  vehicles: z.array(z.object({ key: z.string(), takeoff: z.number().nullable(), armed: z.number().nullable() })),
  /** The alerts, vehicle events and missions of playing the whole file (history.ts). */
  history: historySchema,
});

export type IndexMeta = Omit<z.infer<typeof indexMetaSchema>, "marks" | "history"> & { marks: ReplayMark[]; history: FlightHistory };
export type Checkpoint = IndexMeta["checkpoints"][number];
export const TRAIL_POINT_BYTES = 32;

export function trailerOf(metaOffset: number, metaLength: number): Buffer {
  const t = Buffer.alloc(TRAILER_LENGTH);
  TRAILER.copy(t, 0);
  t.writeDoubleLE(metaOffset, 4);
  t.writeUInt32LE(metaLength, 12);
  return t;
}

async function readExactly(fh: FileHandle, at: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, at);
  if (bytesRead !== length) throw new Error("index file cut short");
  return buf;
}

/** The meta of an index file; throws when it is not one we can use (then it is built again). */
export async function readIndexMeta(fh: FileHandle): Promise<IndexMeta> {
  const { size } = await fh.stat();
  if (size < TRAILER_LENGTH) throw new Error("index file too short");
  const t = await readExactly(fh, size - TRAILER_LENGTH, TRAILER_LENGTH);
  if (!t.subarray(0, 4).equals(TRAILER)) throw new Error("not an index file");
  const at = t.readDoubleLE(4);
  const length = t.readUInt32LE(12);
  if (length > MAX_META_BYTES || at + length > size - TRAILER_LENGTH) throw new Error("index meta out of bounds");
  const meta = indexMetaSchema.parse(JSON.parse((await readExactly(fh, at, length)).toString("utf8")));
  return meta as IndexMeta;
}

/** The trails of a checkpoint: per vehicle the last `length` of its first `count` points. */
export async function readTrails(fh: FileHandle, meta: IndexMeta, dump: PipelineDump): Promise<Map<VehicleKey, TrailPoint[]>> {
  const out = new Map<VehicleKey, TrailPoint[]>();
  for (const [key, count, length] of dump.trails) {
    const section = meta.trails.find((t) => t.key === key);
    if (!section || count > section.count || length > count || length > TRAIL_MAX_POINTS) throw new Error(`index trail of ${key} out of bounds`);
    const buf = await readExactly(fh, section.at + (count - length) * TRAIL_POINT_BYTES, length * TRAIL_POINT_BYTES);
    const trail: TrailPoint[] = [];
    for (let i = 0; i < length; i++) {
      const o = i * TRAIL_POINT_BYTES;
      trail.push({ lat: buf.readDoubleLE(o), lon: buf.readDoubleLE(o + 8), altAmsl: buf.readDoubleLE(o + 16), time: buf.readDoubleLE(o + 24) });
    }
    out.set(key, trail);
  }
  return out;
}

/** A checkpoint's state. The file was written by us and its meta checked: the blob is taken as a dump. */
export async function readCheckpoint(fh: FileHandle, c: Checkpoint): Promise<PipelineDump> {
  if (c.length > MAX_CHECKPOINT_BYTES) throw new Error("checkpoint too large");
  return JSON.parse((await readExactly(fh, c.at, c.length)).toString("utf8")) as PipelineDump;
}
