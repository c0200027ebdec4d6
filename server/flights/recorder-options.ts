import { z } from "zod";

const ms = z.number().int().positive();

/** Recorder settings; every field has a default (see RECORDER_DEFAULTS). */
export const recorderOptionsSchema = z.object({
  /** Kept before arming, ms. */
  preRollMs: ms.default(30_000),
  /** Kept after disarming, ms. */
  postRollMs: ms.default(10_000),
  /** Buffered packets reach the file at least this often: a crash loses at most this much. */
  flushMs: ms.default(1_000),
  /** fsync at most this often (a power cut loses at most this much). */
  fsyncMs: ms.default(1_000),
  /** Statistics of the flights in progress reach the catalogue this often. */
  statsMs: ms.default(5_000),
  /** Session logs (packets outside flights), per vehicle: total size, bytes. 1 GiB: ~3 days of a vehicle on the bench. */
  sessionMaxBytes: z.number().int().positive().default(1024 ** 3),
  /** Session log files older than this go, ms. 30 days: long enough to look into an incident reported late. */
  sessionMaxAgeMs: ms.default(30 * 24 * 3_600_000),
  /** How often the session retention runs, ms. */
  retentionEveryMs: ms.default(60_000),
  /** Packets held in memory while the disk refuses them, all vehicles together, bytes. 64 MiB: ~10 min of 4 vehicles. */
  maxBufferedBytes: z.number().int().positive().default(64 * 1024 ** 2),
}).strict();

export type RecorderOptions = z.infer<typeof recorderOptionsSchema>;
export type RecorderOptionsInput = z.input<typeof recorderOptionsSchema>;

export const RECORDER_DEFAULTS: RecorderOptions = Object.freeze(recorderOptionsSchema.parse({}));

/** Validates the recorder's settings (from configuration or tests); throws listing every problem. */
export function recorderOptions(input: RecorderOptionsInput = {}): RecorderOptions {
  return recorderOptionsSchema.parse(input);
}
