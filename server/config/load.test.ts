import { describe, expect, it } from "vitest";
import path from "node:path";
import { helpText, loadConfig, parseSigningKeys, resolveDataDir } from "./load";

describe("loadConfig", () => {
  it("defaults to udpin://0.0.0.0:14550 and a loopback web server on 8080", () => {
    const r = loadConfig([], {});
    if (r.ok !== true) throw new Error(JSON.stringify(r));
    expect(r.config).toMatchObject({
      links: ["udpin://0.0.0.0:14550"], httpHost: "127.0.0.1", httpPort: 8080, gcsSysid: 255, gcsCompid: 190,
      passive: false, tickMs: 50, lostAfterMs: 5000, logLevel: "info",
    });
    expect(r.config.tileUrl).toContain("{z}");
  });

  it("takes repeated --link flags and lets flags win over environment variables", () => {
    const r = loadConfig(["--link", "udpin://0.0.0.0:14550", "--link", "tcpout://127.0.0.1:5760", "-p", "9000"],
      { DMC_HTTP_PORT: "7000", DMC_TICK_MS: "250", DMC_LINKS: "udpin://0.0.0.0:1" });
    if (r.ok !== true) throw new Error(JSON.stringify(r));
    expect(r.config.links).toEqual(["udpin://0.0.0.0:14550", "tcpout://127.0.0.1:5760"]);
    expect(r.config.httpPort).toBe(9000);
    expect(r.config.tickMs).toBe(250);
  });

  it("reads links, tiles and stream requests from the environment", () => {
    const r = loadConfig([], { DMC_LINKS: "udpin://0.0.0.0:14550, tcpout://10.1.1.1:5760", DMC_TILE_URL: "none", DMC_PASSIVE: "true" });
    if (r.ok !== true) throw new Error(JSON.stringify(r));
    expect(r.config.links).toHaveLength(2);
    expect(r.config.tileUrl).toBeNull();
    expect(r.config.passive).toBe(true);
    const flag = loadConfig(["--passive"], {});
    expect(flag.ok === true && flag.config.passive).toBe(true);
    const empty = loadConfig([], { DMC_HTTP_PORT: "" });
    expect(empty.ok === true && empty.config.httpPort).toBe(8080);
  });

  it("resolves the data directory to an absolute path: flag, else DMC_DATA_DIR, else ./data", () => {
    const def = loadConfig([], {});
    expect(def.ok === true && def.config.dataDir).toBe(path.resolve("data"));
    const env = loadConfig([], { DMC_DATA_DIR: "/var/lib/dmc" });
    expect(env.ok === true && env.config.dataDir).toBe("/var/lib/dmc");
    const flag = loadConfig(["--data-dir", "rel/dir"], { DMC_DATA_DIR: "/var/lib/dmc" });
    expect(flag.ok === true && flag.config.dataDir).toBe(path.resolve("rel/dir"));
    expect(resolveDataDir(undefined, { DMC_DATA_DIR: " " })).toBe(path.resolve("data"));
    expect(helpText()).toMatch(/--data-dir <dir>.*DMC_DATA_DIR/s);
  });

  it("puts the evidence files in the data directory unless --files or DMC_FILES names another", () => {
    const def = loadConfig(["--data-dir", "/srv/dmc"], {});
    expect(def.ok === true && def.config.filesDir).toBe("/srv/dmc");
    const env = loadConfig([], { DMC_DATA_DIR: "/srv/dmc", DMC_FILES: "/mnt/evidence" });
    expect(env.ok === true && env.config.filesDir).toBe("/mnt/evidence");
    const flag = loadConfig(["--files", "rel/files"], { DMC_FILES: "/mnt/evidence" });
    expect(flag.ok === true && flag.config.filesDir).toBe(path.resolve("rel/files"));
    const blank = loadConfig(["--data-dir", "/srv/dmc"], { DMC_FILES: "" });
    expect(blank.ok === true && blank.config.filesDir).toBe("/srv/dmc");
    expect(helpText()).toMatch(/--files <dir>.*DMC_FILES/s);
  });

  it("lists every problem at once", () => {
    const r = loadConfig(["--link", "udpx://nowhere", "--http-port", "70000", "--tick-ms", "fast", "--tile-url", "http://x/tile.png"],
      { DMC_GCS_SYSID: "0" });
    expect(r.ok).toBe(false);
    if (r.ok !== false) return;
    expect(r.problems.join("\n")).toMatch(/--http-port: must be at most 65535/);
    expect(r.problems.join("\n")).toMatch(/--tick-ms: must be a number/);
    expect(r.problems.join("\n")).toMatch(/--tile-url: must contain \{z\}/);
    expect(r.problems.join("\n")).toMatch(/--gcs-sysid: must be at least 1/);
    expect(r.problems.join("\n")).toMatch(/--link: .*udpx:\/\/nowhere/);
    expect(r.problems).toHaveLength(5);
  });

  it("refuses unknown flags with the flag's name, and answers --help", () => {
    const r = loadConfig(["--lnk", "x"], {});
    expect(r.ok === false && r.problems[0]).toMatch(/--lnk/);
    const help = loadConfig(["--help"], {});
    expect(help.ok).toBe("exit");
    expect(helpText()).toMatch(/--link <url\.\.\.>/);
    expect(helpText()).toMatch(/DMC_HTTP_PORT/);
  });

  it("alert thresholds: defaults, flags, environment; volts off unless set", () => {
    const def = loadConfig([], {});
    if (def.ok !== true) throw new Error(JSON.stringify(def));
    expect(def.config.alerts).toEqual({
      batteryLowPercent: 30, batteryCriticalPercent: 20, batteryLowVolts: null, batteryCriticalVolts: null,
      altitudeLimit: 120, vlosRadius: 500,
    });
    const flags = loadConfig(["--battery-low-percent", "35", "--battery-critical-percent", "15", "--battery-low-volts", "14.4",
      "--battery-critical-volts", "13.8", "--altitude-limit", "90", "--vlos-radius", "750"], { DMC_ALTITUDE_LIMIT: "60" });
    if (flags.ok !== true) throw new Error(JSON.stringify(flags));
    expect(flags.config.alerts).toEqual({
      batteryLowPercent: 35, batteryCriticalPercent: 15, batteryLowVolts: 14.4, batteryCriticalVolts: 13.8,
      altitudeLimit: 90, vlosRadius: 750,
    });
    const env = loadConfig([], { DMC_ALTITUDE_LIMIT: "100", DMC_BATTERY_LOW_VOLTS: "22.2", DMC_BATTERY_CRITICAL_VOLTS: "off",
      DMC_VLOS_RADIUS: "" });
    if (env.ok !== true) throw new Error(JSON.stringify(env));
    expect(env.config.alerts).toMatchObject({ altitudeLimit: 100, batteryLowVolts: 22.2, batteryCriticalVolts: null, vlosRadius: 500 });
    const help = helpText();
    for (const flag of ["--battery-low-percent <pct>", "--battery-critical-percent <pct>", "--battery-low-volts <V>",
      "--battery-critical-volts <V>", "--altitude-limit <m>", "--vlos-radius <m>"]) expect(help).toContain(flag);
    expect(help).toMatch(/DMC_VLOS_RADIUS/);
  });

  it("refuses bad alert thresholds, naming the flag", () => {
    const r = loadConfig(["--battery-low-percent", "lots", "--altitude-limit", "-5", "--vlos-radius", "0",
      "--battery-critical-volts", "0"], {});
    expect(r.ok === false && r.problems).toEqual([
      "--battery-low-percent: must be a number",
      "--battery-critical-volts: must be at least 0.1",
      "--altitude-limit: must be at least 1",
      "--vlos-radius: must be at least 10",
    ]);
    const order = loadConfig(["--battery-critical-percent", "30"], {});
    expect(order.ok === false && order.problems).toEqual(["--battery-critical-percent: must be below --battery-low-percent (30)"]);
    const volts = loadConfig(["--battery-low-volts", "14", "--battery-critical-volts", "14.2"], {});
    expect(volts.ok === false && volts.problems).toEqual(["--battery-critical-volts: must be below --battery-low-volts (14)"]);
    const pct = loadConfig([], { DMC_BATTERY_LOW_PERCENT: "100" });
    expect(pct.ok === false && pct.problems).toEqual(["--battery-low-percent: must be at most 99"]);
  });

  it("reads MAVLink signing keys from repeated --signing-key flags, else DMC_SIGNING_KEYS; none by default", () => {
    const hex = "ab".repeat(32);
    const def = loadConfig([], {});
    expect(def.ok === true && def.config.signingKeys).toEqual([]);
    const flags = loadConfig(["--signing-key", "1=police unit one", "--signing-key", `2=${hex}`], { DMC_SIGNING_KEYS: "3=x" });
    if (flags.ok !== true) throw new Error(JSON.stringify(flags));
    expect(flags.config.signingKeys).toEqual([{ sysid: 1, secret: "police unit one" }, { sysid: 2, secret: hex }]);
    const env = loadConfig([], { DMC_SIGNING_KEYS: "1=alpha, 12=bravo=2" });
    if (env.ok !== true) throw new Error(JSON.stringify(env));
    expect(env.config.signingKeys).toEqual([{ sysid: 1, secret: "alpha" }, { sysid: 12, secret: "bravo=2" }]);
    expect(helpText()).toMatch(/--signing-key <sysid=secret\.\.\.>.*DMC_SIGNING_KEYS/s);
  });

  it("lists every bad signing key with its sysid or position, and never the secret", () => {
    const secrets = ["hunter2-secret", "s3cr3t-passphrase", "other-secret", "dup-secret-b"];
    const r = loadConfig(["--signing-key", `0=${secrets[0]}`, "--signing-key", secrets[1]!, "--signing-key", "7=",
      "--signing-key", `9=${secrets[2]}`, "--signing-key", `9=${secrets[3]}`, "--signing-key", "256=x"], {});
    expect(r.ok).toBe(false);
    if (r.ok !== false) return;
    const text = r.problems.join("\n");
    expect(r.problems).toEqual([
      "--signing-key (entry 1): the system id must be a whole number 1..255",
      "--signing-key (entry 2): expected SYSID=SECRET",
      "--signing-key for sysid 7: empty secret",
      "--signing-key for sysid 9: given more than once",
      "--signing-key (entry 6): the system id must be a whole number 1..255",
    ]);
    for (const secret of secrets) expect(text).not.toContain(secret);
    const env = loadConfig([], { DMC_SIGNING_KEYS: "x=hunter2-secret,5" });
    expect(env.ok === false && env.problems).toEqual([
      "--signing-key (entry 1): the system id must be a whole number 1..255",
      "--signing-key (entry 2): expected SYSID=SECRET",
    ]);
    expect(parseSigningKeys(["4=k"]).keys).toEqual([{ sysid: 4, secret: "k" }]);
  });

  it("stores series in SQLite at 5 Hz by default; --series and --series-rate (or DMC_SERIES, DMC_SERIES_RATE) change it", () => {
    const def = loadConfig([], {});
    if (def.ok !== true) throw new Error(JSON.stringify(def));
    expect(def.config.series).toEqual({ kind: "sqlite" });
    expect(def.config.seriesRate).toBe(5);
    const flags = loadConfig(["--series", "influx://dmc:s3cret%40x@tsdb.local:8087/drones?retention=90d", "--series-rate", "2.5"],
      { DMC_SERIES: "sqlite", DMC_SERIES_RATE: "10" });
    if (flags.ok !== true) throw new Error(JSON.stringify(flags));
    expect(flags.config.series).toEqual({ kind: "influx", protocol: "http", host: "tsdb.local", port: 8087, database: "drones",
      username: "dmc", password: "s3cret@x", retention: "90d" });
    expect(flags.config.seriesRate).toBe(2.5);
    const env = loadConfig([], { DMC_SERIES: "influxs://10.0.0.5/dmc", DMC_SERIES_RATE: "10" });
    if (env.ok !== true) throw new Error(JSON.stringify(env));
    expect(env.config.series).toEqual({ kind: "influx", protocol: "https", host: "10.0.0.5", port: 8086, database: "dmc",
      username: null, password: null, retention: null });
    expect(env.config.seriesRate).toBe(10);
    const upper = loadConfig(["--series", "SQLite"], {});
    expect(upper.ok === true && upper.config.series).toEqual({ kind: "sqlite" });
    const help = helpText();
    expect(help).toMatch(/--series <url>.*DMC_SERIES\]/s);
    expect(help).toMatch(/--series-rate <hz>.*DMC_SERIES_RATE/s);
  });

  it("refuses a bad series store or rate, naming the flag and never the password", () => {
    const bad = (series: string) => {
      const r = loadConfig(["--series", series], {});
      return r.ok === false ? r.problems : [];
    };
    expect(bad("postgres://x/y")).toEqual(["--series: unknown scheme postgres: expected 'sqlite' or influx://host:8086/database"]);
    expect(bad("influx://admin:hunter2@host:8086")).toEqual([
      "--series: the InfluxDB URL needs a database name (letters, digits, _ and -), e.g. influx://host:8086/dmc"]);
    expect(bad("influx://host/db?retention=30m")[0]).toMatch(/^--series: retention must be a duration/);
    expect(bad("influx://host/db?precision=s")).toEqual(["--series: unknown InfluxDB URL parameter precision (known: retention)"]);
    expect(bad("influx://admin:hunter2@host:99999/db")).toEqual(["--series: expected 'sqlite' or influx://host:8086/database"]);
    expect(bad("mysql")).toEqual(["--series: expected 'sqlite' or influx://host:8086/database"]);
    for (const series of ["influx://admin:hunter2@host:8086", "influx://admin:hunter2@host:99999/db"]) {
      expect(bad(series).join("\n")).not.toContain("hunter2");
    }
    const rate = loadConfig(["--series-rate", "fast"], { DMC_SERIES: "influx://h/db?retention=inf" });
    expect(rate.ok === false && rate.problems).toEqual(["--series-rate: must be a number"]);
    const zero = loadConfig([], { DMC_SERIES_RATE: "0" });
    expect(zero.ok === false && zero.problems).toEqual(["--series-rate: must be at least 0.1"]);
  });

  it("keeps the application database in the data directory by default; --database (or DMC_DATABASE) names a PostgreSQL server", () => {
    const def = loadConfig([], {});
    expect(def.ok === true && def.config.database).toEqual({ kind: "sqlite" });
    const url = "postgres://dmc:s3cret%40x@db.local:5433/dmc_prod?sslmode=require";
    const flags = loadConfig(["--database", url], { DMC_DATABASE: "sqlite" });
    expect(flags.ok === true && flags.config.database).toEqual({ kind: "postgres", url, host: "db.local", database: "dmc_prod" });
    const env = loadConfig([], { DMC_DATABASE: "postgresql://10.0.0.7/dmc" });
    expect(env.ok === true && env.config.database).toEqual({ kind: "postgres", url: "postgresql://10.0.0.7/dmc", host: "10.0.0.7", database: "dmc" });
    expect(helpText()).toMatch(/--database <url>.*DMC_DATABASE\]/s);
    const bad = (database: string) => {
      const r = loadConfig(["--database", database], {});
      return r.ok === false ? r.problems : [];
    };
    expect(bad("mysql://root:hunter2@db/dmc")).toEqual(["--database: unknown scheme mysql: expected 'sqlite' or postgres://host:5432/database"]);
    expect(bad("postgres://admin:hunter2@db")).toEqual([
      "--database: the PostgreSQL URL needs a database name (letters, digits, _ and -), e.g. postgres://host:5432/dmc"]);
    expect(bad("postgres://admin:hunter2@db/dmc?sslrootcert=/x")).toEqual([
      "--database: unknown PostgreSQL URL parameter sslrootcert (known: sslmode, application_name, connect_timeout, options)"]);
    expect(bad("db.local")).toEqual(["--database: expected 'sqlite' or postgres://host:5432/database"]);
    for (const database of ["mysql://root:hunter2@db/dmc", "postgres://admin:hunter2@db", "postgres://admin:hunter2@db/dmc?sslrootcert=/x"]) {
      expect(bad(database).join("\n")).not.toContain("hunter2");
    }
  });

  it("runs as one server by default; --redis (or DMC_REDIS) names the Redis several servers share, never quoting its password", () => {
    const def = loadConfig([], {});
    expect(def.ok === true && def.config.redis).toEqual({ kind: "none" });
    const flags = loadConfig(["--redis", "redis://:s3cret@cache.local:6380/2"], { DMC_REDIS: "none" });
    expect(flags.ok === true && flags.config.redis).toEqual({ kind: "redis", url: "redis://:s3cret@cache.local:6380/2", host: "cache.local" });
    const env = loadConfig([], { DMC_REDIS: "rediss://10.0.0.9" });
    expect(env.ok === true && env.config.redis).toEqual({ kind: "redis", url: "rediss://10.0.0.9", host: "10.0.0.9" });
    expect(helpText()).toMatch(/--redis <url>.*DMC_REDIS\]/s);
    const bad = (redis: string) => {
      const r = loadConfig(["--redis", redis], {});
      return r.ok === false ? r.problems : [];
    };
    expect(bad("http://:hunter2@cache")).toEqual(["--redis: unknown scheme http: expected 'none' or redis://host:6379"]);
    expect(bad("redis://:hunter2@cache/x")).toEqual(["--redis: the Redis URL's path is a database number (0-15), e.g. redis://host:6379/0"]);
    expect(bad("redis://:hunter2@cache?tls=1")).toEqual(["--redis: the Redis URL takes no parameters"]);
  });
});
