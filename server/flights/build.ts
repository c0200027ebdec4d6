import type { Logger } from "pino";
import type { AuditLog } from "../audit";
import type { Config } from "../config";
import type { AppSql, Db } from "../storage";
import type { GroundStation, VehicleRegistry } from "../vehicles";
import { FlightCatalogue } from "./catalogue";
import { FlightCharts } from "./flight-charts";
import { ImportJobs } from "./import-jobs";
import { FlightIntegrityChecker } from "./integrity";
import { FlightRecorder } from "./recorder";
import type { FlightRecorderDeps } from "./recorder";
import type { RecorderOptionsInput } from "./recorder-options";
import { InfluxSeriesStore, SeriesSampler, SqliteSeriesStore, ThreadedSqliteSeriesStore } from "./series";
import type { SeriesStore } from "./series";

export type FlightsConfig = Pick<Config, "dataDir" | "filesDir" | "series" | "seriesRate" | "importMaxBytes">;

export interface FlightsBuildDeps {
  /** The SQLite file: the series store's, when series stay in it. */
  db: Db;
  /** The application database: the catalogue and its integrity records. */
  sql: AppSql;
  /** This server's id (serverIdOf): its flights are its own to seal, check and serve from its data directory. */
  server?: string | null;
  /** The servers whose files are in this server's files directory (a shared --files path): their flights are read here too. */
  sharing?: () => readonly string[];
  audit: AuditLog;
  log: Logger;
  clock: () => number;
  registry: VehicleRegistry;
  groundStation: GroundStation;
  /** Who holds the vehicle's control (the pilot named in its flight). */
  pilotOf: FlightRecorderDeps["pilotOf"];
  /** The ground station's own alert (AlertEngine.system, built after the flights; dropped until then). */
  alert(topic: string, text: string | null, time: number): void;
  /** Recorder settings (pre/post-roll, flush cadence, retention, buffer). */
  recorder?: RecorderOptionsInput;
}

export interface FlightParts {
  catalogue: FlightCatalogue;
  integrity: FlightIntegrityChecker;
  recorder: FlightRecorder;
  series: SeriesStore;
  imports: ImportJobs;
  /** The review charts, read from the .tlogs in worker threads and kept under the data directory. */
  charts: FlightCharts;
  /** Stops recording (sealing open flights), imports, sampling and the integrity sweep. */
  stop(): Promise<void>;
}

/**
 * The flight record: the recorder fed by the ground station, its catalogue and integrity sweep, the telemetry
 * series sampled from the vehicles' state, and .tlog imports. Recovers what a crash left before resolving.
 */
export async function buildFlights(config: FlightsConfig, deps: FlightsBuildDeps): Promise<FlightParts> {
  const { db, sql, log, clock: now, groundStation: gs } = deps;
  const catalogue = new FlightCatalogue(sql);
  const integrity = new FlightIntegrityChecker({ sql, catalogue, dataDir: config.filesDir, server: deps.server ?? null,
    ...(deps.sharing ? { sharing: deps.sharing } : {}), audit: deps.audit, clock: now, log: log.child({ part: "integrity" }) });
  const recorder = new FlightRecorder({
    catalogue,
    dataDir: config.filesDir,
    // The raw session and quarantine logs are this server's own (hourly files per link), never shared.
    logsDir: config.dataDir,
    server: deps.server ?? null,
    // Packet times come from the links' clock (Date.now): post-roll and flushes are measured on the same one.
    clock: () => Date.now(),
    log: log.child({ part: "recorder" }),
    pilotOf: deps.pilotOf,
    // Raised as the ground station's own alert (the recorder only reports after start).
    // The catalogue's trouble is an alert of its own: it comes and goes apart from the disk's.
    problem: (kind, message) => {
      log.warn({ part: "recorder", kind }, message);
      const topic = kind === "catalogue" || kind === "catalogue-recovered" ? "recording-catalogue" : "recording";
      deps.alert(topic, kind === "recovered" || kind === "catalogue-recovered" ? null : message, now());
    },
    ...(deps.recorder ? { options: deps.recorder } : {}),
  });
  await recorder.start();
  // After the recovery has sealed what a crash left open; sweeps in the background, one file at a time.
  integrity.start();
  const stopPackets = gs.onPacket((p) => recorder.packet(p));
  const stopForeign = gs.onForeign((p) => recorder.quarantine(p.source.linkId, p.time, p.bytes));
  const seriesLog = log.child({ part: "series" });
  const series: SeriesStore = config.series.kind === "influx"
    ? new InfluxSeriesStore(config.series, { log: seriesLog, clock: now })
    // Writes in a thread of their own; a private in-memory database (tests) cannot be shared with one.
    : db.memory ? new SqliteSeriesStore(db, { log: seriesLog, clock: now }) : new ThreadedSqliteSeriesStore(db, { log: seriesLog, clock: now });
  // From the decoded state at a fixed rate per vehicle, not per packet; tagged with the flight being recorded.
  const sampler = new SeriesSampler({
    store: series, states: (t) => deps.registry.snapshot(t), flightOf: (key) => recorder.flightOf(key), clock: now, log: seriesLog,
  }, config.seriesRate);
  sampler.start();
  const seriesWatch = watchSeries(series, deps.alert, now);
  // Uploaded .tlogs are read in a worker thread; this thread only commits their flights and stores their series.
  const imports = new ImportJobs({
    catalogue, dataDir: config.filesDir, clock: now, log: log.child({ part: "import" }), series, seriesRateHz: config.seriesRate, server: deps.server ?? null,
  }, config.importMaxBytes);
  const charts = new FlightCharts({ dataDir: config.filesDir, log: log.child({ part: "charts" }), clock: now });
  const stop = async () => {
    charts.close();
    stopPackets();
    stopForeign();
    await recorder.close();
    await imports.close();
    clearInterval(seriesWatch);
    sampler.stop();
    await series.close();
    await integrity.stop();
  };
  try {
    await imports.recover();
  } catch (err) {
    await stop();
    throw err;
  }
  return { catalogue, integrity, recorder, series, imports, charts, stop };
}

/** The series store's health as an alert: buffering (InfluxDB unreachable) or failing (refusing writes). */
function watchSeries(series: SeriesStore, alert: FlightsBuildDeps["alert"], now: () => number): NodeJS.Timeout {
  const watch = setInterval(() => {
    const status = series.status();
    alert("series", status.state === "ok" ? null
      : `Telemetry series store ${status.state}: ${status.reason} (${status.buffered} points waiting)`, now());
  }, 5000);
  watch.unref();
  return watch;
}
