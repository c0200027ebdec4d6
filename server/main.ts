/**
 * Composition root: reads the configuration, builds every component, starts the services.
 * Nothing else in the server wires components together.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import type { Express } from "express";
import pino from "pino";
import type { Logger } from "pino";
import { loadConfig } from "./config";
import type { Config } from "./config";
import { createLink, signingKey } from "./mavlink";
import type { MavLink } from "./mavlink";
import { CommandClient, GroundStation, MissionClient, PilotCommands, VehicleRegistry, admissionReport } from "./vehicles";
import { RealtimeServer, liveHandlers } from "./realtime";
import type { SocketSessions } from "./realtime";
import { LOCAL_TILE_URL, OriginPolicy, TileSourceError, createApp, openConfiguredTiles, sessionOf, writableCheck } from "./http";
import type { AuthServices } from "./http";
import { DataDirInUseError, DataDirLock, openAppDatabase } from "./storage";
import type { Db } from "./storage";
import { AuditLog, loadOrCreateAuditKey } from "./audit";
import {
  DEFAULT_RATE_LIMITS, DEFAULT_SESSION_LIMITS, LoginAttempts, LoginService, SessionStore, UserStore, ensureFirstAdmin,
} from "./auth";
import type { FirstAdminEnv, FirstAdminOutcome, RateLimits, SessionLimits } from "./auth";
import { CommandGate, ControlRegistry, MissionService } from "./control";
import type { RouteOf, SessionMatch } from "./control";
import type { LinkStatus, VehicleKey } from "./protocol";
import { AlertEngine, SqliteAlertStore, SqliteVehicleEventStore } from "./alerts";
import { FlightCatalogue, FlightIntegrityChecker, FlightRecorder, InfluxSeriesStore, SeriesSampler, SqliteSeriesStore, ImportJobs } from "./flights";
import type { SeriesStore } from "./flights";
import type { RecorderOptionsInput } from "./flights";
import { version } from "../package.json";
import { configProblemsText, linkListenProblem, listenProblem } from "./cli/server-messages";

export interface RunningServer {
  httpPort: number;
  httpHost: string;
  links: MavLink[];
  /** The links' status with what admission let in and refused (as /api/health shows it). */
  linkStatuses(): LinkStatus[];
  registry: VehicleRegistry;
  /** The HTTP app (its router is what the access test compares with the route table). */
  app: Express;
  db: Db;
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
}

export async function startServer(config: Config, log: Logger, hooks: ServerHooks = {}): Promise<RunningServer> {
  // Before anything in the data directory is read or written: a second server would seal this one's live flights.
  const lock = DataDirLock.acquire(config.dataDir, { by: "server", links: config.links, httpHost: config.httpHost });
  try {
    return await startLocked(config, log, hooks, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startLocked(config: Config, log: Logger, hooks: ServerHooks, lock: DataDirLock): Promise<RunningServer> {
  const now = hooks.clock ?? (() => Date.now());
  // A local base map (--tile-url file://...) is checked before anything else starts: a bad file is a start error.
  const tiles = openConfiguredTiles(config.tileUrl);
  if (tiles) log.info({ tiles: tiles.description, at: LOCAL_TILE_URL }, "serving the base map from a local source");
  const db = openAppDatabase(config.dataDir, log.child({ part: "storage" }));
  const audit = new AuditLog(db, log, now, { dataDir: config.dataDir, key: loadOrCreateAuditKey(config.dataDir, log) });
  const sessions = new SessionStore(db, now, hooks.sessionLimits ?? DEFAULT_SESSION_LIMITS);
  const users = new UserStore(db, sessions, now);
  const attempts = new LoginAttempts(db, hooks.rateLimits ?? DEFAULT_RATE_LIMITS);
  const login = new LoginService({ users, sessions, attempts, audit, log, clock: now });
  let firstAdmin: FirstAdminOutcome;
  try {
    firstAdmin = await ensureFirstAdmin(users, hooks.env ?? process.env, audit, config.dataDir);
  } catch (err) {
    db.close();
    throw err;
  }
  const startedAt = now();
  let groundStation: GroundStation | null = null;
  let realtime: RealtimeServer | null = null;
  let alerts: AlertEngine | null = null;
  let lastRejectLog = -Infinity;

  const registry = new VehicleRegistry({ lostAfterMs: config.lostAfterMs, maxVehicles: config.maxVehicles }, {
    statusText: (event) => {
      realtime?.statusText(event);
      alerts?.statusText(event.key, event.status);
    },
    commandAck: (event) => alerts?.commandAck(event),
    link: (event) => {
      log.warn({ vehicle: event.key, state: event.state, heartbeatAgeMs: event.heartbeatAgeMs }, `vehicle link ${event.state}`);
      realtime?.linkEvent(event);
      alerts?.link(event);
    },
    rejected: (key) => {
      const t = now();
      if (t - lastRejectLog < 60_000) return;
      lastRejectLog = t;
      log.warn({ vehicle: key, max: config.maxVehicles }, "too many vehicles: ignoring new system ids");
    },
    heartbeat: (key, _linkId, info) => {
      if (info.isNew) log.info({ vehicle: key }, "new vehicle");
      groundStation?.vehicleHeartbeat(key, info);
    },
  });
  // Built before the recorder and the alert engine; reaches them once they exist.
  let recorderRef: FlightRecorder | null = null;
  const admissionReports = admissionReport({
    log: log.child({ part: "admission" }),
    audit,
    alert: (topic, text, time, about) => alerts?.system(topic, text, time, about),
    forget: (key) => recorderRef?.forget(key),
  });
  groundStation = new GroundStation(registry, {
    sysid: config.gcsSysid,
    compid: config.gcsCompid,
    passive: config.passive,
    heartbeatIntervalMs: 1000,
    signingKeys: new Map(config.signingKeys.map((k) => [k.sysid, signingKey(k.secret)])),
    admission: { maxVehicles: config.maxVehicles, maxVehiclesPerLink: config.maxVehicles, lostAfterMs: config.lostAfterMs },
    admissionEvents: admissionReports.events,
  }, log.child({ part: "gcs" }));
  if (config.signingKeys.length > 0) {
    // The system ids only: a secret is never logged.
    log.info({ sysids: config.signingKeys.map((k) => k.sysid) }, "MAVLink signing required for these vehicles");
  }

  const links = config.links.map((url, i) => createLink(url, { id: `link${i + 1}`, logger: log.child({ part: "link", url }) }));
  for (const link of links) groundStation.attach(link);

  const gs = groundStation;

  const control = new ControlRegistry({
    audit,
    clock: now,
    vehicleKnown: (key) => registry.get(key, now()) !== undefined,
    changed: (state) => realtime?.controlState(state),
  });
  const catalogue = new FlightCatalogue(db);
  const integrity = new FlightIntegrityChecker({ db, catalogue, dataDir: config.dataDir, audit, clock: now, log: log.child({ part: "integrity" }) });
  const recorder = new FlightRecorder({
    catalogue,
    dataDir: config.dataDir,
    // Packet times come from the links' clock (Date.now): post-roll and flushes are measured on the same one.
    clock: () => Date.now(),
    log: log.child({ part: "recorder" }),
    pilotOf: (key) => control.holderOf(key),
    // Raised as the ground station's own alert (the engine is built below; the recorder only reports after start).
    problem: (kind, message) => {
      log.warn({ part: "recorder", kind }, message);
      alerts?.system("recording", kind === "recovered" ? null : message, now());
    },
    ...(hooks.recorder ? { options: hooks.recorder } : {}),
  });
  await recorder.start();
  // After the recovery has sealed what a crash left open; sweeps in the background, one file at a time.
  integrity.start();
  recorderRef = recorder;
  const stopPackets = gs.onPacket((p) => recorder.packet(p));
  const stopForeign = gs.onForeign((p) => recorder.quarantine(p.source.linkId, p.time, p.bytes));
  const stopRecording = () => {
    stopPackets();
    stopForeign();
  };
  // Unknown vehicles refused per link over the last minute, as an alert while it goes on.
  const refusedWatch = setInterval(() => admissionReports.refused(gs.admission.refusedRecently(now()), now()), 5000);
  refusedWatch.unref();
  const seriesLog = log.child({ part: "series" });
  const series: SeriesStore = config.series.kind === "influx"
    ? new InfluxSeriesStore(config.series, { log: seriesLog, clock: now })
    : new SqliteSeriesStore(db, { log: seriesLog, clock: now });
  // From the decoded state at a fixed rate per vehicle, not per packet; tagged with the flight being recorded.
  const sampler = new SeriesSampler({
    store: series, states: (t) => registry.snapshot(t), flightOf: (key) => recorder.flightOf(key), clock: now, log: seriesLog,
  }, config.seriesRate);
  sampler.start();
  // The series store's health as an alert: buffering (InfluxDB unreachable) or failing (refusing writes).
  const seriesWatch = setInterval(() => {
    const status = series.status();
    alerts?.system("series", status.state === "ok" ? null
      : `Telemetry series store ${status.state}: ${status.reason} (${status.buffered} points waiting)`, now());
  }, 5000);
  seriesWatch.unref();
  // Uploaded .tlogs are read in a worker thread; this thread only commits their flights and stores their series.
  const imports = new ImportJobs({
    catalogue, dataDir: config.dataDir, clock: now, log: log.child({ part: "import" }), series, seriesRateHz: config.seriesRate,
    atomically: (fn) => db.transaction(fn)(),
  }, config.importMaxBytes);
  await imports.recover();
  const stopSeries = async () => {
    await imports.close();
    clearInterval(seriesWatch);
    sampler.stop();
    await series.close();
  };
  const commandDeps = { send: gs.sendOn.bind(gs), onMessage: gs.onMessage.bind(gs) };
  const commandClient = new CommandClient(commandDeps);
  // Mission messages the vehicles address to another ground station on the same link are not ours.
  const missionClient = new MissionClient(commandDeps, { gcs: { sysid: config.gcsSysid, compid: config.gcsCompid } });
  const pilot = new PilotCommands(commandClient);
  const route: RouteOf = (key: VehicleKey) => {
    const vehicle = registry.get(key, now());
    if (!vehicle) return { ok: false, reason: `no vehicle ${key}` };
    const linkId = vehicle.link.links[vehicle.link.links.length - 1];
    const reason = gs.unreachable(linkId);
    if (reason !== null || linkId === undefined) return { ok: false, reason: reason ?? "no link to the vehicle" };
    return { ok: true, vehicle, target: { linkId, sysid: vehicle.sysid, compid: vehicle.compid, vehicleClass: vehicle.vehicleClass } };
  };
  const gate = new CommandGate({
    control, audit, route,
    commanding: (key, command) => alerts?.commanded(key, command, now()),
    run: (target, vehicle, request, onProgress) => pilot.run(target, vehicle, request.command, { onProgress }),
  });
  const missions = new MissionService({
    gate, transfers: missionClient, clock: now,
    progress: (event) => realtime?.missionProgress(event),
    changed: (info) => realtime?.missionVehicle(info),
  });
  alerts = new AlertEngine({
    config: config.alerts,
    store: new SqliteAlertStore(db),
    clock: now,
    emit: (alert) => realtime?.alert(alert),
    // The fence verified on the vehicle (uploaded or downloaded): checked here even when the vehicle's own is off.
    fenceOf: (key) => missions.fenceOf(key),
    audit,
    log: log.child({ part: "alerts" }),
    events: new SqliteVehicleEventStore(db),
    emitEvent: (event) => realtime?.vehicleEvent(event),
  });
  const alertEngine = alerts;
  /** A session ended (logout, user disabled, roles/password changed, expiry): its sockets go, its control is released. */
  const sessionsEnded = (match: SessionMatch, reason: string) => {
    realtime?.endSessions(match, reason);
    control.sessionsEnded(match, reason);
  };
  const auth: AuthServices = { users, sessions, login, audit, sessionsEnded };
  const origins = new OriginPolicy(config.allowedHosts, config.trustProxy);
  const app = createApp({
    now,
    startedAt,
    version,
    vehicles: (time) => registry.snapshot(time),
    links: () => gs.linkStatuses(),
    clientConfig: {
      tileUrl: tiles ? LOCAL_TILE_URL : config.tileUrl,
      tileAttribution: config.tileAttribution,
      tickMs: config.tickMs,
      lostAfterMs: config.lostAfterMs,
      version,
    },
    auth,
    flights: {
      catalogue,
      dataDir: config.dataDir,
      integrity,
      series,
      imports,
    },
    dataDirWritable: writableCheck(config.dataDir),
    tiles,
  }, { clientDir: config.clientDir, origins }, log.child({ part: "http" }));
  const httpServer = http.createServer(app);
  const socketSessions: SocketSessions = {
    authenticate(cookieHeader) {
      const user = sessionOf(sessions, cookieHeader);
      return user ? { user: { name: user.name, roles: user.roles }, sessionHash: user.sessionHash } : null;
    },
    isLive: (hash, use) => sessions.validateHash(hash, now(), use).ok,
    ended: (match, reason) => control.sessionsEnded(match, reason),
  };
  const handlers = liveHandlers({
    control,
    commands: gate,
    missions,
    alerts: { acknowledge: (id, who) => alertEngine.acknowledge(id, who, now()) },
  });
  realtime = new RealtimeServer(httpServer, {
    now,
    snapshot: (time) => registry.snapshot(time),
    changed: (time) => {
      registry.sweep(time);
      // Every vehicle, not only the changed ones: the rules' hold and clear timers run on every tick.
      const all = registry.snapshot(time);
      alertEngine.evaluate(all, time);
      missions.observe(all);
      return registry.takeChanged(time);
    },
    removed: () => registry.takeRemoved(),
    links: () => gs.linkStatuses(),
    trails: () => registry.trails(),
    control: () => control.state(),
    missions: () => missions.all(),
    alerts: () => alertEngine.recent(),
  }, {
    tickMs: config.tickMs,
    refusal: (req) => origins.refusal(req),
    ...(hooks.revalidateMs !== undefined ? { revalidateMs: hooks.revalidateMs } : {}),
  }, socketSessions, handlers, log.child({ part: "realtime" }));
  const rtServer = realtime;

  // Housekeeping: ended sessions and old failures go; control held in a session that ended unseen is released.
  const housekeeping = setInterval(() => {
    const t = now();
    for (const hash of control.holderSessions()) {
      if (!sessions.validateHash(hash, t, false).ok) sessionsEnded({ sessionHash: hash }, "session expired");
    }
    sessions.purgeExpired(t);
    login.auditRefusals(t);
    attempts.purge(t);
  }, hooks.housekeepingMs ?? 60_000);
  housekeeping.unref();
  const stopAll = async () => {
    clearInterval(housekeeping);
    clearInterval(refusedWatch);
    stopRecording();
    await recorder.close();
    await stopSeries();
    await rtServer.close();
    httpServer.close();
    await integrity.stop();
    audit.close();
    db.close();
    tiles?.close();
  };

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(config.httpPort, config.httpHost, () => {
        httpServer.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    await stopAll();
    throw err;
  }
  // After start-up an error (e.g. EMFILE on accept) is logged, not fatal.
  httpServer.on("error", (err) => log.error({ err }, "web server error"));
  try {
    await Promise.all(links.map((link) => link.start()));
  } catch (err) {
    await Promise.allSettled(links.map((link) => link.close()));
    await stopAll();
    throw err;
  }
  groundStation.start();
  realtime.start();
  const address = httpServer.address() as AddressInfo;
  lock.update({ httpPort: address.port });

  const rt = realtime;
  return {
    httpPort: address.port,
    httpHost: config.httpHost,
    links,
    linkStatuses: () => gs.linkStatuses(),
    registry,
    app,
    db,
    users,
    sessions,
    audit,
    control,
    realtime: rt,
    firstAdmin,
    async close() {
      clearInterval(housekeeping);
    clearInterval(refusedWatch);
      gs.stop();
      commandClient.close();
      missionClient.close();
      await rt.close();
      await Promise.allSettled(links.map((link) => link.close()));
      stopRecording();
      await recorder.close();
      await stopSeries();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await integrity.stop();
      audit.close();
      db.close();
      tiles?.close();
      lock.release();
    },
  };
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
    const problem = err instanceof DataDirInUseError || err instanceof TileSourceError ? err.message
      : listenProblem(err, config.httpHost, config.httpPort) ?? linkListenProblem(err);
    if (problem !== null) process.stderr.write(`could not start: ${problem}\n`);
    else log.fatal({ err }, "could not start");
    process.exitCode = 1;
    return;
  }
  switch (server.firstAdmin.kind) {
    case "none":
      process.stdout.write(`\n${server.firstAdmin.howTo}\n`);
      break;
    case "invalid":
      process.stdout.write(`\n${server.firstAdmin.message}\n`);
      break;
    case "created":
      log.info({ user: server.firstAdmin.name }, "first administrator created from DMC_ADMIN_USER: unset DMC_ADMIN_PASSWORD");
      break;
    case "already":
      break;
  }
  const shown = config.httpHost === "0.0.0.0" || config.httpHost === "::" ? "localhost" : config.httpHost;
  log.info({ links: config.links }, "listening for MAVLink");
  process.stdout.write(`\nLive map: http://${shown}:${server.httpPort}/\n`
    + `MAVLink links: ${config.links.join(", ")}\n`
    + (config.httpHost === "127.0.0.1" ? "Web server on loopback only; use --http-host 0.0.0.0 to serve other screens.\n" : "")
    + "\n");
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
