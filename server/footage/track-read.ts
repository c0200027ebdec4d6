import { fileChunks, trackSamples } from "../flights";
import type { TrackPosition } from "./sync";

/** A vehicle's positions from a .tlog, in time order (in the worker thread that calls it). */
export async function readTrack(tlogFile: string, vehicle: { sysid: number; compid: number }): Promise<TrackPosition[]> {
  const out: TrackPosition[] = [];
  for await (const s of trackSamples(fileChunks(tlogFile), vehicle)) out.push({ time: s.time, lat: s.lat, lon: s.lon });
  out.sort((a, b) => a.time - b.time);
  return out;
}
