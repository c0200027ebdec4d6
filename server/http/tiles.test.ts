import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { pngTile, writeMbtiles, writeTileFolder } from "../../test/helpers/tiles";
import { MAX_TILE_BYTES, TileSourceError, openTileSource, tileContentType } from "./tiles";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-tiles-"));
// Tower Bridge at zoom 14 is x 8188, y 5448 (XYZ); its TMS row is 2^14 - 1 - 5448 = 10935.
const bridge = { z: 14, x: 8188, y: 5448, data: pngTile(40) };
const world = { z: 0, x: 0, y: 0, data: pngTile(200) };

describe("local tile sources", () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads an MBTiles file by XYZ coordinates (rows stored TMS-flipped)", async () => {
    const file = path.join(dir, "london.mbtiles");
    writeMbtiles(file, [bridge, world]);
    const source = openTileSource({ kind: "mbtiles", file });
    try {
      expect(await source.tile(14, 8188, 5448)).toEqual({ data: bridge.data, contentType: "image/png" });
      expect(await source.tile(0, 0, 0)).toEqual({ data: world.data, contentType: "image/png" });
      // Where the row would be without the flip: nothing.
      expect(await source.tile(14, 8188, 10935)).toBeNull();
      expect(source.description).toBe(`MBTiles ${file}`);
    } finally {
      source.close();
    }
  });

  it("reads a z/x/y folder and finds nothing outside it", async () => {
    const root = path.join(dir, "folder");
    writeTileFolder(root, [bridge]);
    fs.writeFileSync(path.join(dir, "secret.png"), "not a tile");
    const source = openTileSource({ kind: "folder", template: path.join(root, "{z}/{x}/{y}.png"), root });
    expect(await source.tile(14, 8188, 5448)).toEqual({ data: bridge.data, contentType: "image/png" });
    expect(await source.tile(14, 8188, 5449)).toBeNull();
    expect(await source.tile(3, 0, 0)).toBeNull();
  });

  it("does not load a file too large to be a tile", async () => {
    const root = path.join(dir, "big");
    writeTileFolder(root, [{ z: 1, x: 0, y: 0, data: Buffer.alloc(MAX_TILE_BYTES + 1) }]);
    const folder = openTileSource({ kind: "folder", template: path.join(root, "{z}/{x}/{y}.png"), root });
    expect(await folder.tile(1, 0, 0)).toBeNull();
    const file = path.join(dir, "big.mbtiles");
    writeMbtiles(file, [{ z: 1, x: 0, y: 0, data: Buffer.alloc(MAX_TILE_BYTES + 1) }, { z: 1, x: 1, y: 0, data: bridge.data }]);
    const mbtiles = openTileSource({ kind: "mbtiles", file });
    expect(await mbtiles.tile(1, 0, 0)).toBeNull();
    expect(await mbtiles.tile(1, 1, 0)).toMatchObject({ contentType: "image/png" });
    mbtiles.close();
  });

  it("refuses at start what it could not serve: vector tiles, no index, not SQLite, no tiles table", () => {
    const vector = path.join(dir, "vector.mbtiles");
    writeMbtiles(vector, [], { format: "pbf" });
    expect(() => openTileSource({ kind: "mbtiles", file: vector })).toThrow(/holds "pbf" tiles: .*raster/);
    const slow = path.join(dir, "noindex.mbtiles");
    writeMbtiles(slow, [world], { index: false });
    expect(() => openTileSource({ kind: "mbtiles", file: slow })).toThrow(/no index on tiles .*CREATE UNIQUE INDEX/);
    const text = path.join(dir, "text.mbtiles");
    fs.writeFileSync(text, "just some text, long enough to not be an empty database file at all".repeat(20));
    expect(() => openTileSource({ kind: "mbtiles", file: text })).toThrow(TileSourceError);
    const empty = path.join(dir, "empty.mbtiles");
    const db = new Database(empty);
    db.exec("CREATE TABLE other (a)");
    db.close();
    expect(() => openTileSource({ kind: "mbtiles", file: empty })).toThrow(/no "tiles" table/);
  });

  it("names the image type from its bytes", () => {
    expect(tileContentType(pngTile(0))).toBe("image/png");
    expect(tileContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe("image/jpeg");
    expect(tileContentType(Buffer.from("RIFF\0\0\0\0WEBPVP8 ", "latin1"))).toBe("image/webp");
    expect(tileContentType(Buffer.from("<html>"))).toBe("application/octet-stream");
  });
});
