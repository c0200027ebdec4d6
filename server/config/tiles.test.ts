import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "./load";
import { localTiles, localTilesProblems, tileUrlShapeOk } from "./tiles";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-tiles-config-"));
const mbtiles = path.join(dir, "london.mbtiles");
fs.writeFileSync(mbtiles, "");
fs.mkdirSync(path.join(dir, "tiles"));
const fileUrl = (p: string) => pathToFileURL(p).href.replace(/%7B/g, "{").replace(/%7D/g, "}");

describe("local tile sources in --tile-url", () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("accepts network templates, tile folders and MBTiles files, nothing else", () => {
    expect(tileUrlShapeOk("https://tile.openstreetmap.org/{z}/{x}/{y}.png")).toBe(true);
    expect(tileUrlShapeOk("file:///maps/tiles/{z}/{x}/{y}.png")).toBe(true);
    expect(tileUrlShapeOk("file:///maps/london.mbtiles")).toBe(true);
    expect(tileUrlShapeOk("file:///maps/london.pmtiles")).toBe(false);
    expect(tileUrlShapeOk("https://tiles.example/london.mbtiles")).toBe(false);
  });

  it("tells a folder from an MBTiles file, and a network template from both", () => {
    expect(localTiles("https://tile.openstreetmap.org/{z}/{x}/{y}.png")).toBeNull();
    expect(localTiles(null)).toBeNull();
    expect(localTiles("file:///maps/london.mbtiles")).toEqual({ kind: "mbtiles", file: "/maps/london.mbtiles" });
    expect(localTiles("file:///maps/my%20tiles/{z}/{x}/{y}.png"))
      .toEqual({ kind: "folder", template: "/maps/my tiles/{z}/{x}/{y}.png", root: "/maps/my tiles" });
    expect(localTiles("file:///maps/osm-{z}/{x}/{y}.jpg")).toMatchObject({ root: "/maps" });
  });

  it("names a missing, wrong-kind or unreadable source", () => {
    expect(localTilesProblems(fileUrl(mbtiles))).toEqual([]);
    expect(localTilesProblems(fileUrl(path.join(dir, "tiles/{z}/{x}/{y}.png")))).toEqual([]);
    expect(localTilesProblems(fileUrl(path.join(dir, "gone.mbtiles")))).toEqual([`--tile-url: ${dir}/gone.mbtiles does not exist`]);
    expect(localTilesProblems(fileUrl(path.join(dir, "london.mbtiles/{z}/{x}/{y}.png"))))
      .toEqual([`--tile-url: ${mbtiles} is not a folder`]);
    expect(localTilesProblems("file://remote-host/maps/london.mbtiles")[0]).toMatch(/^--tile-url: .*host/);
    if (process.getuid?.() !== 0) {
      const locked = path.join(dir, "locked.mbtiles");
      fs.writeFileSync(locked, "", { mode: 0o000 });
      expect(localTilesProblems(fileUrl(locked))).toEqual([`--tile-url: ${locked} is not readable by this user`]);
    }
  });

  it("reports a missing tile file with the other configuration problems", () => {
    const r = loadConfig(["--tile-url", fileUrl(path.join(dir, "gone.mbtiles")), "--tick-ms", "1"], {});
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.problems).toEqual(expect.arrayContaining([
      `--tile-url: ${dir}/gone.mbtiles does not exist`, "--tick-ms: must be at least 20",
    ]));
    const bad = loadConfig(["--tile-url", "file:///maps/london.pmtiles"], {});
    expect(bad.ok === false && bad.problems[0]).toMatch(/^--tile-url: must contain \{z\}, \{x\} and \{y\}, or name a file/);
    const ok = loadConfig(["--tile-url", fileUrl(mbtiles)], {});
    expect(ok.ok === true && ok.config.tileUrl).toBe(fileUrl(mbtiles));
  });
});
