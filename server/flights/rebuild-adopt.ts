import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { TlogEntry } from "../mavlink";
import type { VehicleKey } from "../protocol";
import type { FlightCatalogue, FlightStats, NewFlight } from "./catalogue";
import { FlightDemux } from "./demux";
import type { FlightStart, SegmenterOptions } from "./segmenter";
import { DEFAULT_SEGMENTER, packetTime } from "./segmenter";

/** Where the recorder puts flight files, relative to the data directory (see FlightRecorder.createFlight). */
export const FLIGHTS_DIR = "flights";

/** Every .tlog below data/flights/, as catalogue paths (relative, with "/"), sorted so reports are stable. */
export async function flightFiles(dataDir: string): Promise<string[]> {
  const root = path.join(dataDir, FLIGHTS_DIR);
  let names: string[];
  try {
    names = await readdir(root, { recursive: true });
  } catch (err) {
    // No flights/ at all: a station that never recorded (or only imported) has nothing to adopt.
    if ((err as { code?: string }).code === "ENOENT") return [];
    throw err;
  }
  const files: string[] = [];
  for (const name of names) {
    if (!name.endsWith(".tlog") || !(await stat(path.join(root, name))).isFile()) continue;
    files.push(path.posix.join(FLIGHTS_DIR, ...name.split(path.sep)));
  }
  return files.sort();
}

export type FileVehicle = NewFlight["vehicle"] & { flights: number };

/**
 * The vehicle whose flight a file holds, found as the recorder found it: the same demux and segmenter over the
 * file's packets. The recorder names a flight's folder after its vehicle (flights/<sysid>-<compid>/); that vehicle
 * is preferred when it flew in the file, else the first one that armed. Null when no vehicle armed in the file:
 * nothing in it is a flight the recorder would have cut.
 */
export function vehicleOfFile(tlogPath: string, entries: readonly TlogEntry[],
  opts: SegmenterOptions = DEFAULT_SEGMENTER): FileVehicle | null {
  const started: { key: VehicleKey; start: FlightStart; ids: { sysid: number; compid: number } }[] = [];
  const demux = new FlightDemux({
    flightStarted: (key, start, ids) => { started.push({ key, start, ids }); },
    write: () => {},
    flightEnded: () => {},
  }, opts);
  for (const e of entries) demux.push({ direction: "in", linkId: "file", timeUs: e.timeUs, frame: e.frame });
  demux.finish();
  const folder = /^(\d{1,3})-(\d{1,3})$/.exec(path.posix.basename(path.posix.dirname(tlogPath)));
  const named = folder === null ? undefined : started.find((s) => s.key === `${folder[1]}:${folder[2]}`);
  const chosen = named ?? started[0];
  if (chosen === undefined) return null;
  return {
    key: chosen.key, sysid: chosen.ids.sysid, compid: chosen.ids.compid, type: chosen.start.vehicleClass, name: null,
    flights: started.filter((s) => s.key === chosen.key).length,
  };
}

export interface LostFile {
  tlogPath: string;
  sizeBytes: number;
  sha256: string;
  entries: readonly TlogEntry[];
  vehicle: FileVehicle;
  /** Over the whole file, as rebuildCatalogue recomputes them later: a second rebuild changes nothing. */
  stats: FlightStats;
}

/** A row for a file the catalogue lost: as the recorder would have left it, sealed with the file as it is. */
export async function adoptFile(catalogue: FlightCatalogue, f: LostFile, server: string | null = null): Promise<number> {
  const { vehicle: v, stats } = f;
  const first = f.entries[0];
  const [id] = await catalogue.createSealed([{
    flight: {
      vehicle: { key: v.key, sysid: v.sysid, compid: v.compid, type: v.type, name: v.name },
      // The recorder's start is the file's first packet (the pre-roll), so is this one.
      startedAt: first ? packetTime(first.timeUs) : stats.armedAt ?? 0, tlogPath: f.tlogPath,
      // Created "recording" and sealed at once: the seal is what makes a flight "closed" (NewFlight cannot be).
      status: "recording", pilot: null, previousId: null, source: "rebuild", recordedBy: server,
    },
    stats,
    seal: { endedAt: stats.endedAt ?? stats.armedAt ?? 0, sizeBytes: f.sizeBytes, sha256: f.sha256 },
  }]);
  return id!;
}
