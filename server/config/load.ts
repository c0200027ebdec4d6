import path from "node:path";
import { Command, Option } from "commander";
import { parseLinkUrl } from "../mavlink";
import { alertOptions, rawAlertConfig } from "./alerts";
import { DEFAULT_EVIDENCE_SWEEP_HOURS, DEFAULT_FOOTAGE_MAX_BYTES, DEFAULT_IMPORT_MAX_BYTES, DEFAULT_RECOVERY_DAYS, DEFAULT_RETENTION, importOptions } from "./imports";
import { clusterOptions } from "./cluster";
import { DEFAULT_DATABASE, databaseOptions } from "./database";
import { DEFAULT_SERIES, DEFAULT_SERIES_RATE, seriesOptions } from "./series";
import { DEFAULT_TILE_ATTRIBUTION, DEFAULT_TILE_URL, configSchema } from "./schema";
import { localTilesProblems, tileUrlShapeOk } from "./tiles";
import type { Config } from "./schema";

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] } | { ok: "exit"; output: string };

const ENV_PREFIX = "DMC_";

function program(): Command {
  const cmd = new Command("npm start --")
    .description("Drone mission control server: reads MAVLink from the links, serves the live map and the API.\n"
      + `Every option can also be set by an environment variable ${ENV_PREFIX}<NAME> (shown in brackets); a flag wins.`)
    .addOption(new Option("-l, --link <url...>", "MAVLink link(s): udpin://HOST:PORT, udpout://HOST:PORT, tcpin://HOST:PORT, "
      + "tcpout://HOST:PORT, serial://DEVICE:BAUD. Repeat the flag for several. [DMC_LINKS, comma-separated]"))
    .addOption(new Option("--http-host <host>", "address the web server binds [DMC_HTTP_HOST]"))
    .addOption(new Option("-p, --http-port <port>", "web server port, 0 for any free port [DMC_HTTP_PORT]"))
    .addOption(new Option("--allowed-host <name...>", "host name(s) browsers use to reach this server, besides IP addresses "
      + "and localhost; others are refused (DNS rebinding) [DMC_ALLOWED_HOSTS, comma-separated]"))
    .addOption(new Option("--trust-proxy <address...>", "reverse proxies (IP addresses, subnets like 10.0.0.0/8, or loopback, "
      + "linklocal, uniquelocal) whose X-Forwarded-For/-Proto/-Host are believed: behind a TLS proxy the session cookie "
      + "is then Secure; see README [DMC_TRUST_PROXY, comma-separated]"))
    .addOption(new Option("--gcs-sysid <n>", "MAVLink system id of this ground station [DMC_GCS_SYSID]"))
    .addOption(new Option("--gcs-compid <n>", "MAVLink component id of this ground station [DMC_GCS_COMPID]"))
    .addOption(new Option("--passive", "send nothing to the vehicles, not even a heartbeat: listen beside the pilot's own ground "
      + "station (whose heartbeat keeps the vehicle's GCS failsafe honest) [DMC_PASSIVE=true]"))
    .addOption(new Option("--tick-ms <ms>", `period of the live frames sent to browsers, ms (${DEFAULT_TICK_MS}) [DMC_TICK_MS]`))
    .addOption(new Option("--lost-after-ms <ms>", "a vehicle is lost after this long without HEARTBEAT [DMC_LOST_AFTER_MS]"))
    .addOption(new Option("--max-vehicles <n>", "vehicles tracked at once, all links; a new system id is admitted after two "
      + "consistent heartbeats, and one that then sends no telemetry is dropped [DMC_MAX_VEHICLES]"))
    .addOption(new Option("--tile-url <template>", "map tile URL template with {z}/{x}/{y}; offline: "
      + "file:///DIR/{z}/{x}/{y}.png (a tile folder) or file:///FILE.mbtiles, served by this server; or 'none' [DMC_TILE_URL]"))
    .addOption(new Option("--tile-attribution <text>", "attribution shown for the tiles [DMC_TILE_ATTRIBUTION]"))
    .addOption(new Option("--client-dir <dir>", "directory of the built web client [DMC_CLIENT_DIR]"))
    .addOption(new Option("--data-dir <dir>", "directory of the embedded database (users, audit log, flights, telemetry series), recordings and footage [DMC_DATA_DIR]"))
    .addOption(new Option("--files <dir>", "directory of the evidence files (flight recordings, footage, imports, exports) "
      + "instead of the data directory: a larger disk, or with --database postgres:// a path every server of the "
      + "deployment mounts [DMC_FILES]"))
    .addOption(new Option("--signing-key <sysid=secret...>", "MAVLink 2 signing key of the vehicle with that system id: a "
      + "passphrase, or the 32-byte key as 64 hex digits. That vehicle's unsigned or forged packets are then dropped and "
      + "everything sent to it is signed; set the same key on the vehicle (SETUP_SIGNING). Repeat the flag for several "
      + "[DMC_SIGNING_KEYS, comma-separated 1=secret,2=secret]"))
    .addOption(new Option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent [DMC_LOG_LEVEL]"));
  for (const option of databaseOptions()) cmd.addOption(option);
  for (const option of clusterOptions()) cmd.addOption(option);
  for (const option of seriesOptions()) cmd.addOption(option);
  for (const option of importOptions()) cmd.addOption(option);
  for (const option of alertOptions()) cmd.addOption(option);
  return cmd
    .helpOption("-h, --help", "show this help")
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
}

export const DEFAULT_DATA_DIR = "./data";
/**
 * The live frames' period. A packet waits up to one tick for its frame, so this is in every packet -> screen age:
 * at 50 ms a screen's p99 stays under 100 ms with 200 vehicles (README, load harness); screens apply frames once per
 * animation frame whatever the rate.
 */
export const DEFAULT_TICK_MS = 50;

/**
 * The data directory, absolute: the flag, else DMC_DATA_DIR, else ./data. Shared with the CLIs (npm run user,
 * npm run audit) so they open the same database as the server.
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const fromEnv = env[`${ENV_PREFIX}DATA_DIR`];
  const chosen = flag ?? (fromEnv === undefined || fromEnv.trim() === "" ? DEFAULT_DATA_DIR : fromEnv);
  return path.resolve(chosen);
}

/** The evidence files' directory, absolute: the flag, else DMC_FILES, else the data directory. */
export function resolveFilesDir(flag: string | undefined, env: NodeJS.ProcessEnv, dataDir: string): string {
  const fromEnv = env[`${ENV_PREFIX}FILES`];
  const chosen = flag ?? (fromEnv === undefined || fromEnv.trim() === "" ? dataDir : fromEnv);
  return path.resolve(chosen);
}

export function helpText(): string {
  return program().helpInformation();
}

/**
 * Reads the configuration from argv and the environment, once, at start. Returns every problem found rather
 * than stopping at the first, so an operator can fix a bad unit configuration in one go.
 */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): ConfigResult {
  const cmd = program();
  try {
    cmd.parse(argv, { from: "user" });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "commander.helpDisplayed" || code === "commander.help") return { ok: "exit", output: cmd.helpInformation() };
    return { ok: false, problems: [(err as Error).message.replace(/^error: /, "")] };
  }
  const o = cmd.opts<Record<string, string | string[] | boolean | undefined>>();
  const pick = (flag: string, name: string, fallback: string): string => {
    const value = cmd.getOptionValueSource(flag) === "cli" ? o[flag] : undefined;
    if (typeof value === "string") return value;
    // An empty variable (DMC_HTTP_PORT=) is unset, not zero.
    const fromEnv = env[ENV_PREFIX + name];
    return fromEnv === undefined || fromEnv.trim() === "" ? fallback : fromEnv;
  };
  const links = Array.isArray(o.link) ? o.link
    : (env.DMC_LINKS ?? "udpin://0.0.0.0:14550").split(",").map((s) => s.trim()).filter(Boolean);
  const tileUrl = pick("tileUrl", "TILE_URL", DEFAULT_TILE_URL);
  const passive = cmd.getOptionValueSource("passive") === "cli" || /^(1|true|yes|on)$/i.test(env.DMC_PASSIVE ?? "");

  const dataDir = resolveDataDir(cmd.getOptionValueSource("dataDir") === "cli" ? String(o.dataDir) : undefined, env);
  const raw = {
    links,
    httpHost: pick("httpHost", "HTTP_HOST", "127.0.0.1"),
    httpPort: pick("httpPort", "HTTP_PORT", "8080"),
    allowedHosts: Array.isArray(o.allowedHost) ? o.allowedHost
      : (env.DMC_ALLOWED_HOSTS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    trustProxy: Array.isArray(o.trustProxy) ? o.trustProxy
      : (env.DMC_TRUST_PROXY ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    gcsSysid: pick("gcsSysid", "GCS_SYSID", "255"),
    gcsCompid: pick("gcsCompid", "GCS_COMPID", "190"),
    passive,
    tickMs: pick("tickMs", "TICK_MS", String(DEFAULT_TICK_MS)),
    lostAfterMs: pick("lostAfterMs", "LOST_AFTER_MS", "5000"),
    maxVehicles: pick("maxVehicles", "MAX_VEHICLES", "256"),
    tileUrl: tileUrl.toLowerCase() === "none" ? null : tileUrl,
    tileAttribution: pick("tileAttribution", "TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
    clientDir: path.resolve(pick("clientDir", "CLIENT_DIR", "dist/client")),
    dataDir,
    filesDir: resolveFilesDir(cmd.getOptionValueSource("files") === "cli" ? String(o.files) : undefined, env, dataDir),
    logLevel: pick("logLevel", "LOG_LEVEL", "info"),
    database: pick("database", "DATABASE", DEFAULT_DATABASE),
    redis: pick("redis", "REDIS", "none"),
    series: pick("series", "SERIES", DEFAULT_SERIES),
    seriesRate: pick("seriesRate", "SERIES_RATE", String(DEFAULT_SERIES_RATE)),
    importMaxBytes: pick("importMaxBytes", "IMPORT_MAX_BYTES", String(DEFAULT_IMPORT_MAX_BYTES)),
    footageMaxBytes: pick("footageMaxBytes", "FOOTAGE_MAX_BYTES", String(DEFAULT_FOOTAGE_MAX_BYTES)),
    retention: pick("retention", "RETENTION", DEFAULT_RETENTION),
    recoveryDays: pick("recoveryDays", "RECOVERY_DAYS", DEFAULT_RECOVERY_DAYS),
    evidenceSweepHours: pick("evidenceSweepHours", "EVIDENCE_SWEEP_HOURS", DEFAULT_EVIDENCE_SWEEP_HOURS),
    alerts: rawAlertConfig(pick),
  };

  const problems: string[] = [];
  const signing = parseSigningKeys(Array.isArray(o.signingKey) ? o.signingKey
    : (env.DMC_SIGNING_KEYS ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  problems.push(...signing.problems);
  const parsed = configSchema.safeParse({ ...raw, signingKeys: signing.keys });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${optionName(issue.path)}: ${issue.message}`);
  }
  for (const url of links) {
    try {
      parseLinkUrl(url);
    } catch (err) {
      problems.push(`--link: ${(err as Error).message}`);
    }
  }
  if (raw.tileUrl === null || tileUrlShapeOk(raw.tileUrl)) problems.push(...localTilesProblems(raw.tileUrl));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, config: parsed.data };
}

/**
 * "SYSID=SECRET" entries to keys. Problems name the entry's position and sysid only, never the secret (nor the
 * whole entry, which holds it): configuration problems are printed and may end up in logs.
 */
export function parseSigningKeys(entries: readonly string[]): { keys: { sysid: number; secret: string }[]; problems: string[] } {
  const keys: { sysid: number; secret: string }[] = [];
  const problems: string[] = [];
  const seen = new Set<number>();
  entries.forEach((entry, i) => {
    const at = entry.indexOf("=");
    const where = `--signing-key (entry ${i + 1})`;
    if (at < 0) {
      problems.push(`${where}: expected SYSID=SECRET`);
      return;
    }
    const sysidText = entry.slice(0, at).trim();
    const secret = entry.slice(at + 1);
    if (!/^\d{1,3}$/.test(sysidText) || Number(sysidText) < 1 || Number(sysidText) > 255) {
      problems.push(`${where}: the system id must be a whole number 1..255`);
      return;
    }
    const sysid = Number(sysidText);
    if (secret.length === 0) {
      problems.push(`--signing-key for sysid ${sysid}: empty secret`);
      return;
    }
    if (seen.has(sysid)) {
      problems.push(`--signing-key for sysid ${sysid}: given more than once`);
      return;
    }
    seen.add(sysid);
    keys.push({ sysid, secret });
  });
  return { keys, problems };
}

function optionName(pathParts: (string | number)[]): string {
  // Alert thresholds are grouped under `alerts` in the Config but are flat flags (--battery-low-percent).
  const field = pathParts[0] === "alerts" ? pathParts[1] : pathParts[0];
  const key = String(field ?? "config").replace(/^links$/, "link").replace(/^allowedHosts$/, "allowedHost")
    .replace(/^signingKeys$/, "signingKey");
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
