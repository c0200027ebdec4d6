import { describe, expect, it } from "vitest";
import { FRESH_TILES, TILE_FAILURES_BEFORE_NOTICE, tileFailed, tileLoaded, tileNotice, tilesFailing, tileSource } from "./tiles";

const fail = (n: number, h = FRESH_TILES) => Array.from({ length: n }).reduce<typeof h>((acc) => tileFailed(acc), h);

describe("tile health", () => {
  it("a few failures in a row with nothing loaded means the source is unreachable", () => {
    expect(tilesFailing(fail(TILE_FAILURES_BEFORE_NOTICE - 1))).toBe(false);
    expect(tilesFailing(fail(TILE_FAILURES_BEFORE_NOTICE))).toBe(true);
  });

  it("one tile that loads ends the failing state; a missing tile among loaded ones does not start it", () => {
    const failing = fail(10);
    expect(tilesFailing(tileLoaded(failing))).toBe(false);
    let h = FRESH_TILES;
    for (let i = 0; i < 20; i++) h = i % 3 === 0 ? tileFailed(h) : tileLoaded(h);
    expect(tilesFailing(h)).toBe(false);
    expect(h.loaded).toBe(13);
  });
});

describe("where tiles come from, in words", () => {
  const page = "http://10.0.0.5:8080/";
  it("names the host of a remote template, with subdomains filled in", () => {
    expect(tileSource("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", page)).toBe("a.tile.openstreetmap.org");
    expect(tileNotice("https://tile.openstreetmap.org/{z}/{x}/{y}.png", page))
      .toBe("Map tiles cannot be loaded from tile.openstreetmap.org: showing a grid");
  });

  it("a template served by this server (an offline tile set) is 'this server'", () => {
    expect(tileSource("/tiles/{z}/{x}/{y}.png", page)).toBe("this server");
    expect(tileSource("http://10.0.0.5:8080/api/tiles/{z}/{x}/{y}", page)).toBe("this server");
  });

  it("a file URL is a local file", () => {
    expect(tileSource("file:///srv/tiles/{z}/{x}/{y}.png", page)).toBe("a local file");
  });
});
