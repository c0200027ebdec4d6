import { describe, expect, it } from "vitest";
import path from "node:path";
import { helpText, loadConfig, resolveDataDir } from "./load";

describe("loadConfig", () => {
  it("defaults to udpin://0.0.0.0:14550 and a loopback web server on 8080", () => {
    const r = loadConfig([], {});
    if (r.ok !== true) throw new Error(JSON.stringify(r));
    expect(r.config).toMatchObject({
      links: ["udpin://0.0.0.0:14550"], httpHost: "127.0.0.1", httpPort: 8080, gcsSysid: 255, gcsCompid: 190,
      passive: false, tickMs: 100, lostAfterMs: 5000, logLevel: "info",
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
});
