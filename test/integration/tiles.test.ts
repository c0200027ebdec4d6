/**
 * Offline base map: a server started with `--tile-url file://...` serves the tiles itself, to signed-in users,
 * from an MBTiles file or a tile folder, and the web client is told to fetch them there.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type { ClientConfig } from "../../server/protocol";
import { api, signIn, startTestServer } from "../helpers/server";
import { pngTile, writeMbtiles, writeTileFolder } from "../helpers/tiles";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-tiles-it-"));
// Westminster at zoom 16 (XYZ).
const tile = { z: 16, x: 32744, y: 21793, data: pngTile(90) };

describe.each([
  { kind: "MBTiles file", setup: () => {
    const file = path.join(dir, "unit.mbtiles");
    writeMbtiles(file, [tile]);
    return `file://${file}`;
  } },
  { kind: "tile folder", setup: () => {
    writeTileFolder(path.join(dir, "folder"), [tile]);
    return `file://${dir}/folder/{z}/{x}/{y}.png`;
  } },
])("local tiles from a $kind", ({ setup }) => {
  let server: RunningServer;
  let cookie: string;
  beforeAll(async () => {
    server = await startTestServer({ tileUrl: setup() });
    cookie = await signIn(server, ["observer"]);
  });
  afterAll(() => server.close());

  it("tells the web client to load the tiles from this server", async () => {
    const res = await api(server, cookie, "/api/config");
    expect(((await res.json()) as ClientConfig).tileUrl).toBe("/tiles/{z}/{x}/{y}");
  });

  it("serves a tile with its type and caching headers, to signed-in users only", async () => {
    const res = await api(server, cookie, `/tiles/${tile.z}/${tile.x}/${tile.y}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("private, max-age=86400");
    expect(Buffer.from(await res.arrayBuffer()).equals(tile.data)).toBe(true);
    expect((await api(server, null, `/tiles/${tile.z}/${tile.x}/${tile.y}`)).status).toBe(401);
  });

  it("answers 404 for a tile it does not have, or outside the world at that zoom", async () => {
    for (const p of [`/tiles/${tile.z}/${tile.x}/${tile.y + 1}`, "/tiles/1/2/0", "/tiles/30/0/0"]) {
      const res = await api(server, cookie, p);
      expect(res.status, p).toBe(404);
      expect(res.headers.get("cache-control"), p).toBe("no-store");
    }
  });

  it("takes only whole numbers: no path can reach another file", async () => {
    fs.writeFileSync(path.join(dir, "outside.png"), tile.data);
    for (const p of ["/tiles/16/32744/21793.png", "/tiles/16/-1/0", "/tiles/1.5/0/0",
      "/tiles/16/..%2F..%2Foutside/0", "/tiles/16/0x10/0", "/tiles/16/1e3/0"]) {
      const res = await api(server, cookie, p);
      expect(res.status, p).toBe(400);
    }
  });
});

describe("without a local tile source", () => {
  it("keeps the network template for the client and has no tiles to serve", async () => {
    const server = await startTestServer({ tileUrl: "https://tile.openstreetmap.org/{z}/{x}/{y}.png" });
    try {
      const cookie = await signIn(server, ["observer"]);
      expect(((await (await api(server, cookie, "/api/config")).json()) as ClientConfig).tileUrl)
        .toBe("https://tile.openstreetmap.org/{z}/{x}/{y}.png");
      expect((await api(server, cookie, "/tiles/0/0/0")).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("does not start on a tile file it cannot serve, and says why", async () => {
    const file = path.join(dir, "vector.mbtiles");
    writeMbtiles(file, [], { format: "pbf" });
    await expect(startTestServer({ tileUrl: `file://${file}` })).rejects.toThrow(/holds "pbf" tiles/);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
});
