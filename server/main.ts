/**
 * Composition root: reads the configuration, builds every component, starts the services.
 * Nothing else in the server wires components together: each subsystem's build.ts builds its own parts.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Express } from "express";
import pino from "pino";
import type { Logger } from "pino";
import { loadConfig } from "./config";
import type { Config } from "./config";
import { parseLinkUrl } from "./mavlink";
import type { MavLink } from "./mavlink";
import { buildVehicles } from "./vehicles";
import type { VehicleRegistry } from "./vehicles";
import { buildRealtime } from "./realtime";
import type { RealtimeServer } from "./realtime";
import { LOCAL_TILE_URL, TileSourceError, buildHttp, openConfiguredTiles } from "./http";
import { buildCluster, RedisUnavailableError } from "./cluster";
import { AppSql, DataDirInUseError, DataDirLock, migratePostgres, openAppDatabase, openPostgres, serverIdOf, FilesServers, joinFilesDir } from "./storage";
import type { Db } from "./storage";
import { AuditLog, loadOrCreateAuditKey } from "./audit";
import { buildAuth } from "./auth";
import type { FirstAdminEnv, FirstAdminOutcome, RateLimits, SessionLimits, SessionStore, UserStore } from "./auth";
import { buildControl } from "./control";
import type { ControlRegistry, SessionMatch } from "./control";
import type { LinkStatus } from "./protocol";
import { SqlAlertStore, buildAlerts } from "./alerts";
import type { AlertEngine } from "./alerts";
import { FlightReports, buildFlights } from "./flights";
import type { FlightParts, RecorderOptionsInput } from "./flights";
import { BookmarkStore, buildReplay } from "./replay";
import { IncidentStore, OpenIncidents } from "./incidents";
import { buildFootage } from "./footage";
import { buildCustody } from "./custody";
import { buildRetention } from "./retention";
import type { ReplayParts } from "./replay";
import { LoopMonitor } from "./loop-monitor";
import { StopStack } from "./lifecycle";
import { MIGRATIONS } from "./migrations";
import { version } from "../package.json";
import { configProblemsText, firstAdminText, linkListenProblem, listenProblem, startedText } from "./cli/server-messages";

export interface RunningServer {
  httpPort: number;
  httpHost: string;
  links: MavLink[];
  /** The links' status with what admission let in and refused (as /api/health shows it). */
  linkStatuses(): LinkStatus[];
  registry: VehicleRegistry;
  /** The HTTP app (its router is what the access test compares with the route table). */
  app: Express;
  /** The data directory's SQLite file: the application database by default, and the telemetry series' in any case. */
  db: Db;
  /** The application database behind the query builder: `db`, or PostgreSQL (--database postgres://...). */
  sql: AppSql;
  users: UserStore;
  sessions: SessionStore;
  audit: AuditLog;
  control: ControlRegistry;
  realtime: RealtimeServer;
  /** What happened about the first administrator at start (main() tells the operator). */
  firstAdmin: FirstAdminOutcome;
  close(): Promise<void>;
}

/** Constructor-level knobs for tests (no flags): a clock, session and login limits, check periods. */
export interface ServerHooks {
  clock?: () => number;
  sessionLimits?: SessionLimits;
  rateLimits?: RateLimits;
  /** How often sockets' sessions are checked again, ms (default 30 s). */
  revalidateMs?: number;
  /** How often expired sessions and old login attempts are purged, ms (default 60 s). */
  housekeepingMs?: number;
  /** Where DMC_ADMIN_USER / DMC_ADMIN_PASSWORD are read (default process.env). */
  env?: FirstAdminEnv;
  /** Flight recorder settings (pre/post-roll, flush cadence, retention, buffer). */
  recorder?: RecorderOptionsInput;
  /** Tests: the evidence sweep's timing and the upload area's free space (see RetentionBuildDeps). */
  evidence?: Pick<Parameters<typeof buildRetention>[0], "evidenceSweep" | "freeBytes">;
}

export async function startServer(config: Config, log: Logger, hooks: ServerHooks = {}): Promise<RunningServer> {
  // Before anything in the data directory is read or written: a second server would seal this one's live flights.
  const lock = DataDirLock.acquire(config.dataDir, { by: "server", links: config.links, httpHost: config.httpHost });
  // Evidence files elsewhere belong to this server alone too, unless the catalogue is shared (PostgreSQL): servers
  // with catalogues of their own would each adopt, seal or delete the others' files.
  let filesLock: DataDirLock | null = null;
  try {
    filesLock = config.filesDir !== config.dataDir && config.database.kind === "sqlite"
      ? DataDirLock.acquire(config.filesDir, { by: "server", links: config.links, httpHost: config.httpHost })
      : null;
  } catch (err) {
    lock.release();
    throw err;
  }
  const release = () => {
    filesLock?.release();
    lock.release();
  };
  const stops = new StopStack();
  try {
    const server = await startLocked(config, log, hooks, stops);
    lock.update({ httpPort: server.httpPort });
    filesLock?.update({ httpPort: server.httpPort });
    return { ...server, close: () => stops.stopAll().then(release) };
  } catch (err) {
    await stops.stopAll().catch((e: unknown) => log.error({ err: e }, "could not stop what had started"));
    release();
    throw err;
  }
}

/** The application database named by --database cannot be reached or brought up to date (a start error). */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "DatabaseUnavailableError";
  }
}

/**
 * The application database: the data directory's SQLite file (the stores share its connection, see AppSql), or
 * PostgreSQL, brought to the newest migration first (servers starting together apply each step once).
 */
async function openApplicationDatabase(config: Config, db: Db, log: Logger): Promise<AppSql> {
  if (config.database.kind === "sqlite") return AppSql.sqlite(db);
  const { host, database } = config.database;
  const pool = await openPostgres(config.database.url, log, { applicationName: "dmc-server" });
  try {
    const { from, to } = await migratePostgres(pool, MIGRATIONS, log);
    log.info({ host, database, from, to }, "application database: PostgreSQL");
  } catch (err) {
    await pool.end();
    // The URL holds a password: the problem names the host and database only.
    throw new DatabaseUnavailableError(`the PostgreSQL database ${database} on ${host} cannot be used: ${(err as Error).message}`, err);
  }
  return AppSql.postgres(pool);
}

async function startLocked(config: Config, log: Logger, hooks: ServerHooks, stops: StopStack): Promise<Omit<RunningServer, "close">> {
  const now = hooks.clock ?? (() => Date.now());
  const { dataDir } = config;
  // A local base map (--tile-url file://...) is checked before anything else starts: a bad file is a start error.
  const tiles = openConfiguredTiles(config.tileUrl);
  if (tiles) log.info({ tiles: tiles.description, at: LOCAL_TILE_URL }, "serving the base map from a local source");
  stops.add(() => tiles?.close());
  const db = openAppDatabase(dataDir, log.child({ part: "storage" }), MIGRATIONS);
  stops.add(() => db.close());
  const sql = await openApplicationDatabase(config, db, log.child({ part: "storage" }));
  // This server among those that may share the database: what it records and raises is named after it.
  const serverId = serverIdOf(dataDir);
  // Said in the files directory: servers that share it read, check and seal each other's flight files.
  joinFilesDir(config.filesDir, serverId);
  const filesServers = new FilesServers(config.filesDir, serverId, now);
  stops.add(() => sql.close());
  const audit = new AuditLog(sql, log, now, { dataDir, key: loadOrCreateAuditKey(dataDir, log) });
  stops.add(() => audit.close());
  // Covers what the CLIs appended while the server was stopped, and a previous run that ended without a checkpoint.
  await audit.checkpoint();
  const auth = await buildAuth({ sql, audit, log, clock: now, dataDir, env: hooks.env ?? process.env,
    sessionLimits: hooks.sessionLimits, rateLimits: hooks.rateLimits });
  // Built later than the components that call them: until then those calls are dropped (nothing flows yet).
  let realtime: RealtimeServer | null = null;
  let controlRef: ControlRegistry | null = null;
  // Several servers: Redis is reached before anything else listens (a start error otherwise, as for the database).
  const cluster = config.redis.kind === "redis"
    ? await buildCluster(config.redis, { log, now, audit, on: {
      controlChanged: () => realtime?.controlState(),
      // A server gone: its pilots keep their vehicles here once their links are here (a minute at most).
      controlOrphaned: (holders) => controlRef?.carryOver(holders, now() + CARRY_CONTROL_MS),
    } })
    : null;
  if (cluster) stops.add(() => cluster.stop());
  const startedAt = now();
  const loop = new LoopMonitor(now);
  stops.add(loop.start());
  let flights: FlightParts | null = null;
  let alerts: AlertEngine | null = null;
  let replay: ReplayParts | null = null;
  const vehicles = buildVehicles(config, { log, clock: now, audit, on: {
    statusText: (event) => { realtime?.statusText(event); alerts?.statusText(event.key, event.status); },
    commandAck: (event) => alerts?.commandAck(event),
    link: (event) => { realtime?.linkEvent(event); alerts?.link(event); },
    alert: (topic, text, time, about) => alerts?.system(topic, text, time, about),
    forget: (key) => flights?.recorder.forget(key),
  }, ...(cluster ? { shared: isSharedLink } : {}) });
  stops.add(() => vehicles.stop());
  const { registry, groundStation: gs } = vehicles;
  const { control, gate, missions } = buildControl({ audit, clock: now, registry, groundStation: gs,
    pilot: vehicles.pilot, missionClient: vehicles.missionClient, on: {
    changed: () => {
      cluster?.mirror.setControl(control.holdings());
      realtime?.controlState();
    },
    commanding: (key, command) => alerts?.commanded(key, command, now()),
    missionProgress: (event) => realtime?.missionProgress(event),
    missionChanged: (info) => realtime?.missionVehicle(info),
  } });
  controlRef = control;
  flights = await buildFlights(config, { db, sql, server: serverId, sharing: () => filesServers.ids(), audit, log, clock: now, registry, groundStation: gs,
    pilotOf: (key) => control.holderOf(key), alert: (topic, text, time) => alerts?.system(topic, text, time),
    recorder: hooks.recorder });
  stops.add(flights.stop);
  const engine = await buildAlerts(config, { sql, server: serverId, audit, log, clock: now, fenceOf: (key) => missions.fenceOf(key),
    emit: (alert) => realtime?.alert(alert), emitEvent: (event) => realtime?.vehicleEvent(event) });
  alerts = engine;
  cluster?.requests.onAlertAcknowledged((id, by, at) => engine.acknowledgedElsewhere(id, by, at));
  stops.add(() => engine.stop());
  /** A session ended (logout, user disabled, roles/password changed, expiry): its sockets go, its control is released. */
  const endedHere = (match: SessionMatch, reason: string) => {
    realtime?.endSessions(match, reason);
    control.sessionsEnded(match, reason);
  };
  // The other servers let go of what was held in those sessions too, and close their sockets.
  cluster?.requests.onSessionsEnded(endedHere);
  const sessionsEnded = (match: SessionMatch, reason: string) => {
    endedHere(match, reason);
    cluster?.requests.sessionsEnded(match, reason);
  };
  const bookmarks = new BookmarkStore(sql);
  const incidentStore = new IncidentStore(sql);
  const openIncidents = new OpenIncidents(incidentStore);
  await openIncidents.refresh();
  // Evidence files live under --files (the data directory unless said otherwise; shared by a deployment's servers).
  const files = config.filesDir;
  const footage = await buildFootage({ sql, dataDir: files, maxBytes: config.footageMaxBytes, audit, log, now });
  stops.add(footage.stop);
  const custody = buildCustody({ dataDir: files, audit, incidents: incidentStore, flights: flights.catalogue, footage, version, now, log });
  stops.add(() => custody.exports.stop());
  const retention = buildRetention({ sql, dataDir: files, policy: { ...config.retention, recoveryDays: config.recoveryDays }, footage, flights, incidents: incidentStore, audit, log, now, alert: (topic, problem, time, about) => alerts?.system(topic, problem, time, about), evidenceSweepHours: config.evidenceSweepHours,
    ...(cluster ? { evidenceTurn: (ms: number) => cluster.turn("evidence-sweep", ms) } : {}), ...hooks.evidence });
  stops.add(retention.stop);
  const incidents = { store: incidentStore, changed: () => {
    openIncidents.refresh().then((markers) => { if (markers) realtime?.incidents(markers); })
      .catch((err: unknown) => log.error({ err }, "open incidents not read: the live maps keep the previous list"));
  } };
  const http = buildHttp(config, { log, now, startedAt, version, tiles,
    vehicles: (time) => registry.snapshot(time), links: () => gs.linkStatuses(),
    reports: new FlightReports({ dataDir: files, alerts: new SqlAlertStore(sql), log: log.child({ part: "reports" }) }),
    auth: { users: auth.users, sessions: auth.sessions, login: auth.login, audit, sessionsEnded }, flights,
    bookmarks, incidents, footage, custody, retention, replaySessions: () => replay?.count() ?? 0,
    liveHealth: () => {
      const unwritten = engine.unwritten;
      return { eventLoop: loop.report(), frames: realtime?.frameStats() ?? { viewersBehind: 0, resyncs: 0 },
        alertStore: { waiting: unwritten.alerts, dropped: unwritten.alertsDropped, eventsNotStored: unwritten.events },
        flightCatalogue: { waiting: flights?.recorder.catalogueBacklog ?? 0 }, cluster: cluster?.health() ?? null };
    } });
  stops.add(http.stop);
  const rt = buildRealtime(config, { control, gate, missions, registry, groundStation: gs, alerts, sessions: auth.sessions,
    ...(cluster ? { cluster: {
      wrap: (source) => cluster.mirror.wrap(source), adapter: cluster.adapter,
      route: (handlers) => cluster.requests.route(handlers, (key) => {
        if (registry.get(key, now()) !== undefined) return "here";
        const server = cluster.mirror.ownerOf(key);
        return server === null ? null : { server };
      }),
    } } : {}),
    log, now, http: http.server, origins: http.origins, revalidateMs: hooks.revalidateMs, incidents: () => openIncidents.current() });
  realtime = rt;
  stops.add(() => rt.close());
  const replayParts = buildReplay(config, { realtime: rt, catalogue: flights.catalogue, integrity: flights.integrity, bookmarks, audit, log });
  replay = replayParts;
  stops.add(() => replayParts.stop());
  stops.add(auth.startHousekeeping(hooks.housekeepingMs ?? 60_000, {
    sessions: () => control.holderSessions(), ended: sessionsEnded,
  }));
  const address = await http.listen();
  stops.add(await vehicles.start());
  if (cluster) {
    // Run before anything else stops: the links held here are given up first, for another server to take.
    const leases = cluster.leaseLinks(vehicles.shared);
    await leases.start();
    stops.add(() => leases.stop());
    const catalogue = flights.catalogue;
    const recorder = flights.recorder;
    const succession = cluster.succession(serverId, {
      openWork: async () => {
        const others = (await catalogue.recordingServers()).filter((s) => s !== serverId);
        if (others.length === 0) return [];
        // A server that joined the files directory since the last read is looked for again before it is judged.
        const here = others.every((s) => filesServers.ids().includes(s)) ? filesServers.ids() : await filesServers.refresh();
        return others.filter((s) => here.includes(s)).map((server) => ({
          server,
          files: async () => (await catalogue.recording(server, true)).map((f) => path.join(config.filesDir, f.tlogPath)),
        }));
      },
      succeed: async (server) => { await recorder.continueFrom(server); },
    });
    await succession.start();
    stops.add(() => succession.stop());
  }
  rt.start();
  return {
    httpPort: address.port, httpHost: config.httpHost, links: vehicles.links, linkStatuses: () => gs.linkStatuses(),
    registry, app: http.app, db, sql, users: auth.users, sessions: auth.sessions, audit, control, realtime: rt,
    firstAdmin: auth.firstAdmin,
  };
}

/** How long the pilots of a server gone keep their vehicles for when this server takes the vehicles' links. */
const CARRY_CONTROL_MS = 60_000;

/**
 * With several servers, a tcpout link is the vehicle's one connection for whichever server holds it (the others
 * stand by to take it over). Links that listen (udpin, tcpin) and serial ports are each server's own.
 */
function isSharedLink(url: string): boolean {
  return parseLinkUrl(url).kind === "tcpout";
}

async function main(): Promise<void> {
  const result = loadConfig(process.argv.slice(2), process.env);
  if (result.ok === "exit") {
    process.stdout.write(result.output);
    return;
  }
  if (!result.ok) {
    process.stderr.write(configProblemsText(result.problems));
    process.exitCode = 2;
    return;
  }
  const config = result.config;
  // Readable lines for an operator at a terminal; JSON lines (for log collectors) otherwise.
  const log = pino({
    level: config.logLevel,
    base: { app: "dmc" },
    ...(process.stdout.isTTY ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,app" } } } : {}),
  });
  let server: RunningServer;
  try {
    server = await startServer(config, log);
  } catch (err) {
    // One line an operator can act on: which process holds the data directory.
    const problem = err instanceof DataDirInUseError || err instanceof TileSourceError || err instanceof DatabaseUnavailableError || err instanceof RedisUnavailableError ? err.message
      : listenProblem(err, config.httpHost, config.httpPort) ?? linkListenProblem(err);
    if (problem !== null) process.stderr.write(`could not start: ${problem}\n`);
    else log.fatal({ err }, "could not start");
    process.exitCode = 1;
    return;
  }
  const admin = server.firstAdmin;
  const adminText = firstAdminText(admin);
  if (adminText !== null) process.stdout.write(adminText);
  if (admin.kind === "created") log.info({ user: admin.name }, "first administrator created from DMC_ADMIN_USER: unset DMC_ADMIN_PASSWORD");
  log.info({ links: config.links }, "listening for MAVLink");
  process.stdout.write(startedText(config, server.httpPort));
  const shutdown = (signal: string) => {
    log.info({ signal }, "shutting down");
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
