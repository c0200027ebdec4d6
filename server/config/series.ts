import { Option } from "commander";
import { z } from "zod";
import { urlOption } from "./url-option";

/**
 * Where telemetry series go: `sqlite` (embedded, in the application database in the data directory) or
 * `influx://[user:pass@]host[:8086]/database[?retention=90d]` (`influxs://` for HTTPS). The password is a secret:
 * problems never quote the URL, and DMC_SERIES keeps it off the command line (ps).
 */
/** Where an InfluxDB 1.x series store is (the store's options extend it). */
export interface InfluxTarget {
  protocol: "http" | "https";
  host: string;
  port: number;
  database: string;
  username: string | null;
  password: string | null;
  /** InfluxQL duration of our retention policy ("90d", "12w", "inf"), or null: the database's default policy. */
  retention: string | null;
}

export type SeriesConfig = { kind: "sqlite" } | ({ kind: "influx" } & InfluxTarget);

export const DEFAULT_SERIES = "sqlite";
export const DEFAULT_SERIES_RATE = 5;

export function seriesOptions(): Option[] {
  return [
    new Option("--series <url>", "where telemetry series are stored: 'sqlite' (default, in the data directory) or "
      + "influx://[user:pass@]host:8086/db[?retention=90d] (InfluxDB 1.x; influxs:// for HTTPS) [DMC_SERIES]"),
    new Option("--series-rate <hz>", `telemetry series samples per second per vehicle, default ${DEFAULT_SERIES_RATE} `
      + "[DMC_SERIES_RATE]"),
  ];
}

export const seriesRateSchema = z.coerce.number({ invalid_type_error: "must be a number" })
  .finite("must be a number").min(0.1, "must be at least 0.1").max(50, "must be at most 50");

/** InfluxDB refuses retention policies shorter than an hour. */
const RETENTION = /^(inf|[1-9]\d{0,5}[hdw])$/i;

export const seriesSchema = urlOption<SeriesConfig>({
  builtin: "sqlite", builtinValue: { kind: "sqlite" }, schemes: ["influx", "influxs"], example: "influx://host:8086/database", what: "InfluxDB",
  parse(url, _value, problem) {
    const database = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ""));
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(database)) return problem("the InfluxDB URL needs a database name (letters, digits, _ and -), e.g. influx://host:8086/dmc");
    let retention: string | null = null;
    for (const [key, v] of url.searchParams) {
      if (key !== "retention") return problem(`unknown InfluxDB URL parameter ${key} (known: retention)`);
      if (!RETENTION.test(v)) return problem("retention must be a duration in hours, days or weeks (e.g. 90d, 12w, 720h) or inf");
      retention = v.toLowerCase();
    }
    return {
      kind: "influx",
      protocol: url.protocol === "influxs:" ? "https" : "http",
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port === "" ? 8086 : Number(url.port),
      database,
      username: url.username === "" ? null : decodeURIComponent(url.username),
      password: url.password === "" ? null : decodeURIComponent(url.password),
      retention,
    };
  },
});
