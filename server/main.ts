/**
 * Composition root: reads the configuration, builds every component, starts the services.
 * Nothing else in the server wires components together.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import pino from "pino";
import type { Logger } from "pino";
import { helpText, loadConfig } from "./config";
import type { Config } from "./config";
import { createLink } from "./mavlink";
import type { MavLink } from "./mavlink";
import { GroundStation, VehicleRegistry } from "./vehicles";
import { RealtimeServer } from "./realtime";
import { OriginPolicy, createApp } from "./http";
import { version } from "../package.json";

export interface RunningServer {
  httpPort: number;
  httpHost: string;
  links: MavLink[];
  registry: VehicleRegistry;
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const now = () => Date.now();
  const startedAt = now();
  let groundStation: GroundStation | null = null;
  let realtime: RealtimeServer | null = null;
  let lastRejectLog = -Infinity;

  const registry = new VehicleRegistry({ lostAfterMs: config.lostAfterMs }, {
    statusText: (event) => realtime?.statusText(event),
    link: (event) => {
      log.warn({ vehicle: event.key, state: event.state, heartbeatAgeMs: event.heartbeatAgeMs }, `vehicle link ${event.state}`);
      realtime?.linkEvent(event);
    },
    rejected: (key) => {
      const t = now();
      if (t - lastRejectLog < 60_000) return;
      lastRejectLog = t;
      log.warn({ vehicle: key, max: 64 }, "too many vehicles: ignoring new system ids");
    },
    heartbeat: (key, _linkId, info) => {
      if (info.isNew) log.info({ vehicle: key }, "new vehicle");
      groundStation?.vehicleHeartbeat(key, info);
    },
  });
  groundStation = new GroundStation(registry, {
    sysid: config.gcsSysid,
    compid: config.gcsCompid,
    passive: config.passive,
    heartbeatIntervalMs: 1000,
  }, log.child({ part: "gcs" }));

  const links = config.links.map((url, i) => createLink(url, { id: `link${i + 1}`, logger: log.child({ part: "link", url }) }));
  for (const link of links) groundStation.attach(link);

  const gs = groundStation;
  const origins = new OriginPolicy(config.allowedHosts);
  const app = createApp({
    now,
    startedAt,
    version,
    vehicles: (time) => registry.snapshot(time),
    links: () => gs.linkStatuses(),
    clientConfig: {
      tileUrl: config.tileUrl,
      tileAttribution: config.tileAttribution,
      tickMs: config.tickMs,
      lostAfterMs: config.lostAfterMs,
      version,
    },
  }, { clientDir: config.clientDir, origins }, log.child({ part: "http" }));
  const httpServer = http.createServer(app);
  realtime = new RealtimeServer(httpServer, {
    now,
    snapshot: (time) => registry.snapshot(time),
    changed: (time) => {
      registry.sweep(time);
      return registry.takeChanged(time);
    },
    links: () => gs.linkStatuses(),
    trails: () => registry.trails(),
  }, { tickMs: config.tickMs, refusal: (req) => origins.refusal(req) }, log.child({ part: "realtime" }));

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.httpPort, config.httpHost, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  // After start-up an error (e.g. EMFILE on accept) is logged, not fatal.
  httpServer.on("error", (err) => log.error({ err }, "web server error"));
  try {
    await Promise.all(links.map((link) => link.start()));
  } catch (err) {
    await Promise.allSettled(links.map((link) => link.close()));
    await realtime.close();
    httpServer.close();
    throw err;
  }
  groundStation.start();
  realtime.start();
  const address = httpServer.address() as AddressInfo;

  const rt = realtime;
  return {
    httpPort: address.port,
    httpHost: config.httpHost,
    links,
    registry,
    async close() {
      gs.stop();
      await rt.close();
      await Promise.allSettled(links.map((link) => link.close()));
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
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
    process.stderr.write(`Configuration problems:\n${result.problems.map((p) => `  - ${p}`).join("\n")}\n\n${helpText()}`);
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
    log.fatal({ err }, "could not start");
    process.exitCode = 1;
    return;
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
