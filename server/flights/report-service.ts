import fs from "node:fs";
import type { Logger } from "pino";
import type { FlightReport, FlightSummary, Result } from "../protocol";
import { fail, ok } from "../protocol";
import { flightFilePath } from "./export";
import type { TrackVehicle } from "./export";
import { flightReport, reportAlerts } from "./report";
import type { AlertHistory } from "./report";
import type { ReportFacts } from "./report-facts";
import { factsInWorker } from "./report-thread";

export interface FlightReportsDeps {
  dataDir: string;
  /** The alert history, or null when none is kept (every report then says so). */
  alerts: AlertHistory | null;
  log: Logger;
  /** Files read at once, each in its own worker thread (default 2: half the cores of a small station). */
  maxReads?: number;
  /** Reports' facts kept, by file (default 32): printing again does not read the file again. */
  cacheSize?: number;
  /** How a file is read (default: a worker thread). */
  read?: (file: string, vehicle: TrackVehicle) => Promise<ReportFacts>;
}

/** Facts are keyed by the file as found on disk: a file that grows (still recording) or changes is read again. */
const keyOf = (flight: FlightSummary, s: fs.Stats) => `${flight.id}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

/**
 * Flight reports: the file read off the event loop, at most `maxReads` at once (another request is refused
 * with "report_busy" rather than queued without bound), the facts cached per file.
 */
export class FlightReports {
  private readonly cache = new Map<string, ReportFacts>();
  private reading = 0;
  private readonly maxReads: number;
  private readonly cacheSize: number;
  private readonly read: (file: string, vehicle: TrackVehicle) => Promise<ReportFacts>;

  constructor(private readonly deps: FlightReportsDeps) {
    this.maxReads = deps.maxReads ?? 2;
    this.cacheSize = deps.cacheSize ?? 32;
    this.read = deps.read ?? ((file, vehicle) => factsInWorker({ file, vehicle }));
  }

  /** The report of a flight whose file the caller has found usable (not missing, not altered). */
  async report(flight: FlightSummary, by: string, now: number): Promise<Result<FlightReport>> {
    const facts = await this.facts(flight);
    if (!facts.ok) return facts;
    const alerts = await reportAlerts(this.deps.alerts, flight, now);
    return ok(flightReport({ flight, facts: facts.value, alerts, generatedAt: now, generatedBy: by }));
  }

  private async facts(flight: FlightSummary): Promise<Result<ReportFacts>> {
    const file = flightFilePath(this.deps.dataDir, flight);
    const stat = file === null ? null : await fs.promises.stat(file).catch(() => null);
    if (file === null || stat === null) return fail("tlog_missing", `the .tlog of flight ${flight.id} is not in the data directory`);
    const key = keyOf(flight, stat);
    const cached = this.cache.get(key);
    if (cached) {
      // Most recently used last: the oldest entry is the first of the map.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return ok(cached);
    }
    if (this.reading >= this.maxReads) {
      return fail("report_busy", `${this.maxReads} flight reports are being prepared: try again in a moment`);
    }
    this.reading++;
    try {
      const facts = await this.read(file, flight.vehicle);
      this.remember(key, facts);
      return ok(facts);
    } catch (err) {
      this.deps.log.error({ err, flight: flight.id }, "flight report: reading the .tlog failed");
      return fail("report_failed", `the .tlog of flight ${flight.id} could not be read: ${(err as Error).message}`);
    } finally {
      this.reading--;
    }
  }

  private remember(key: string, facts: ReportFacts): void {
    this.cache.set(key, facts);
    while (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}
