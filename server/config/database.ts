import { Option } from "commander";
import { urlOption } from "./url-option";

/**
 * Where the application database is (users, sessions, audit log, alerts, incidents, flights' and footage's
 * catalogues, retention): `sqlite` (embedded, dmc.sqlite in the data directory) or a PostgreSQL server,
 * `postgres://[user:pass@]host[:5432]/database[?sslmode=require]`, which several servers of one deployment share.
 * The password is a secret: problems never quote the URL, and DMC_DATABASE keeps it off the command line (ps).
 */
export type DatabaseConfig = { kind: "sqlite" } | { kind: "postgres"; url: string; host: string; database: string };

export const DEFAULT_DATABASE = "sqlite";

export function databaseOptions(): Option[] {
  return [
    new Option("--database <url>", "the application database: 'sqlite' (default, in the data directory) or "
      + "postgres://[user:pass@]host:5432/db (PostgreSQL, which several servers can share; telemetry series stay where "
      + "--series puts them) [DMC_DATABASE]"),
  ];
}

/** Connection parameters node-postgres understands in the URL; anything else is refused rather than ignored. */
const PARAMETERS = new Set(["sslmode", "application_name", "connect_timeout", "options"]);

export const databaseSchema = urlOption<DatabaseConfig>({
  builtin: "sqlite", builtinValue: { kind: "sqlite" }, schemes: ["postgres", "postgresql"], example: "postgres://host:5432/database", what: "PostgreSQL",
  parse(url, value, problem) {
    const database = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ""));
    if (!/^[A-Za-z0-9_-]{1,63}$/.test(database)) return problem("the PostgreSQL URL needs a database name (letters, digits, _ and -), e.g. postgres://host:5432/dmc");
    for (const key of url.searchParams.keys()) {
      if (!PARAMETERS.has(key)) return problem(`unknown PostgreSQL URL parameter ${key} (known: ${[...PARAMETERS].join(", ")})`);
    }
    return { kind: "postgres", url: value, host: url.hostname.replace(/^\[|\]$/g, ""), database };
  },
});
