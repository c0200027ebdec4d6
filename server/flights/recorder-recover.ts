import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { VehicleKey } from "../protocol";
import type { FlightCatalogue } from "./catalogue";
import { factsOfFile } from "./rebuild";

/**
 * After a crash: every flight still marked "recording" is sealed as its file is on disk (complete up to the last
 * flush before the crash), with statistics recomputed from that file, as "interrupted": it ends at the last packet
 * written, not at a disarm. Returns the sealed flight of each vehicle, so that a vehicle heard still armed
 * continues it as a linked segment (whose first packet, against this one's last, is the gap in the record).
 */
export async function sealInterrupted(
  catalogue: FlightCatalogue, dataDir: string, log: Logger, server: string | null = null, only = false,
): Promise<Map<VehicleKey, number>> {
  const orphans = new Map<VehicleKey, number>();
  // Only this server's: another server's flight being recorded is its own to seal (unless it is gone: `only`).
  for (const f of await catalogue.recording(server, only)) {
    const abs = path.join(dataDir, f.tlogPath);
    try {
      let facts;
      try {
        facts = await factsOfFile(abs, f.vehicle.sysid, f.vehicle.compid);
      } catch (err) {
        if ((err as { code?: string }).code !== "ENOENT") throw err;
        // Crashed before the first flush: the record is empty, and says so with an empty file.
        await mkdir(path.dirname(abs), { recursive: true });
        await writeFile(abs, Buffer.alloc(0), { flag: "wx" });
        facts = await factsOfFile(abs, f.vehicle.sysid, f.vehicle.compid);
      }
      await catalogue.sealInterrupted(f.id, {
        stats: facts.stats, seal: { endedAt: facts.stats.endedAt ?? f.startedAt, sizeBytes: facts.sizeBytes, sha256: facts.sha256 },
      });
      orphans.set(f.vehicle.key, f.id);
      log.warn({ flight: f.id, vehicle: f.vehicle.key, packets: facts.stats.packets, truncated: facts.counters.truncated },
        "flight interrupted by a restart sealed as recorded");
    } catch (err) {
      log.error({ err, flight: f.id, file: f.tlogPath }, "could not seal an interrupted flight; will try at the next start");
    }
  }
  return orphans;
}
