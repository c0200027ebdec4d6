import { z } from "zod";
import { alertConfigSchema } from "./alerts";
import { importMaxBytesSchema, retentionSchema } from "./imports";
import { clusterSchema } from "./cluster";
import { databaseSchema } from "./database";
import { seriesRateSchema, seriesSchema } from "./series";
import { tileUrlShapeOk } from "./tiles";
import { trustProxyProblem } from "./trust-proxy";

export const DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
export const DEFAULT_TILE_ATTRIBUTION = "© OpenStreetMap contributors";

const int = (min: number, max: number) => z.coerce.number({ invalid_type_error: "must be a number" })
  .int("must be a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

/** The server's whole configuration, after defaults. Every field comes from a flag or an environment variable. */
export const configSchema = z.object({
  links: z.array(z.string().min(1)).min(1, "at least one link is needed"),
  httpHost: z.string().min(1),
  httpPort: int(0, 65535),
  /** Host names (besides IP addresses and localhost) under which browsers may reach this server. */
  allowedHosts: z.array(z.string().min(1).regex(/^[a-z0-9.-]+$/i, "must be a host name")),
  /** Reverse proxies whose X-Forwarded-For/-Proto/-Host are believed (a TLS proxy makes the session cookie Secure). */
  trustProxy: z.array(z.string().superRefine((entry, ctx) => {
    const problem = trustProxyProblem(entry);
    if (problem !== null) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  })),
  gcsSysid: int(1, 255),
  gcsCompid: int(1, 255),
  /** Send nothing on the links: no heartbeat, no stream requests (a second screen beside the pilot's GCS). */
  passive: z.boolean(),
  tickMs: int(20, 5000),
  lostAfterMs: int(500, 600_000),
  /** Vehicles admitted at once (every link); unknown system ids beyond it are refused and counted. */
  maxVehicles: int(1, 65_536),
  /** A {z}/{x}/{y} template (http(s), or file:// for a tile folder), a file:// MBTiles file, or null (no base map). */
  tileUrl: z.string().nullable().refine((v) => v === null || tileUrlShapeOk(v), {
    message: "must contain {z}, {x} and {y}, or name a file:///...mbtiles file (or be 'none' for no base map)",
  }),
  tileAttribution: z.string(),
  clientDir: z.string().min(1),
  /** Absolute path of the data directory (database, recordings). */
  dataDir: z.string().min(1),
  /**
   * Absolute path of the evidence files (flight recordings, footage, imports, exports and what is derived from
   * them): the data directory unless --files names another (a larger disk, or a path shared by several servers).
   */
  filesDir: z.string().min(1),
  /**
   * MAVLink 2 signing keys by vehicle sysid: a passphrase, or the key itself as 64 hex digits (see signingKey()).
   * A vehicle listed here must sign everything it sends, and everything sent to it is signed. Secrets: never log.
   */
  signingKeys: z.array(z.object({ sysid: int(1, 255), secret: z.string().min(1, "empty secret") })),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  /** The application database: embedded SQLite, or a PostgreSQL server. Holds a password: never log. */
  database: databaseSchema,
  /** Redis shared by several servers (live vehicles and events across them), or none. Holds a password: never log. */
  redis: clusterSchema,
  /** Telemetry series store: embedded SQLite, or an InfluxDB 1.x server (flights/series). Holds a password: never log. */
  series: seriesSchema,
  /** Series samples per second per vehicle (SeriesSampler). */
  seriesRate: seriesRateSchema,
  /** Largest .tlog accepted by POST /api/flights/import, bytes. */
  importMaxBytes: importMaxBytesSchema,
  /** Largest footage file accepted by the resumable upload, bytes. */
  footageMaxBytes: importMaxBytesSchema,
  /** How long footage is kept, by category (the longest applicable wins). */
  retention: retentionSchema,
  /** Days a queued deletion can still be cancelled. */
  recoveryDays: z.coerce.number().int().min(1).max(365),
  /** Hours between two integrity sweeps of stored footage (0: none but on request); absent: 24. */
  evidenceSweepHours: z.coerce.number().min(0).max(24 * 366).optional(),
  /** Thresholds of the server-side alert rules (server/alerts). */
  alerts: alertConfigSchema,
});

export type Config = z.infer<typeof configSchema>;
