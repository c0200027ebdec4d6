/**
 * Worker thread: reading a sidecar (tens of MB for a long video), matching it to a flight's track read from its
 * .tlog, and reading the camera's events from the .tlog are whole-file work, done here rather than on the server's
 * event loop.
 */
import fs from "node:fs";
import { answerWorkerJob } from "../flights";
import type { FlightCameraEvents, FootagePoint } from "../protocol";
import { readCameraEvents } from "./camera-read";
import { parseSrt } from "./srt";
import type { SrtReading } from "./srt";
import { syncFromSrt } from "./sync";
import type { SyncFound } from "./sync";
import type { TrackPosition } from "./sync";
import { readTrack } from "./track-read";

export type SyncJob =
  | { kind: "read"; srtFile: string }
  | { kind: "match"; srtFile: string; tlogFile: string; vehicle: { sysid: number; compid: number } }
  /** The photos and recordings of the vehicle's camera(s) in the .tlog. */
  | { kind: "camera"; tlogFile: string; vehicle: { sysid: number } };

export type SyncJobResult =
  | { kind: "read"; frames: number; skipped: number; problems: string[]; points: FootagePoint[] }
  | { kind: "match"; found: SyncFound }
  | { kind: "camera"; camera: FlightCameraEvents };

/** The camera's track for the map: at most one point per 0.2 s of video. */
function pointsOf(reading: SrtReading): FootagePoint[] {
  const out: FootagePoint[] = [];
  let last = -Infinity;
  for (const f of reading.frames) {
    if (f.lat === null || f.lon === null || f.t - last < 0.2) continue;
    out.push({ t: f.t, lat: f.lat, lon: f.lon, alt: f.alt });
    last = f.t;
  }
  return out;
}

async function run(job: SyncJob): Promise<SyncJobResult> {
  if (job.kind === "camera") return { kind: "camera", camera: await readCameraEvents(job.tlogFile, job.vehicle) };
  const reading = parseSrt(await fs.promises.readFile(job.srtFile, "utf8"));
  if (job.kind === "read") {
    return { kind: "read", frames: reading.frames.length, skipped: reading.skipped, problems: reading.problems, points: pointsOf(reading) };
  }
  const track: TrackPosition[] = await readTrack(job.tlogFile, job.vehicle);
  return { kind: "match", found: syncFromSrt(reading.frames, track) };
}

answerWorkerJob(run);
