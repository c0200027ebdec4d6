/** Real raster tiles for the local tile source tests: PNG images, and MBTiles files as tools export them. */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import Database from "better-sqlite3";

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 256x256 PNG of one grey level (so each tile in a test can be told apart). */
export function pngTile(grey: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(256, 0);
  header.writeUInt32BE(256, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  const rows = Buffer.alloc(256 * 257);
  for (let r = 0; r < 256; r++) rows.fill(grey & 0xff, r * 257 + 1, (r + 1) * 257);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header), chunk("IDAT", zlib.deflateSync(rows)), chunk("IEND", Buffer.alloc(0)),
  ]);
}

export interface TileSpec {
  z: number;
  x: number;
  /** XYZ row (from the north), as a web map asks for it. */
  y: number;
  data: Buffer;
}

/** An MBTiles 1.3 file (metadata + tiles with its unique index), rows stored TMS-flipped as the spec says. */
export function writeMbtiles(file: string, tiles: TileSpec[], options: { format?: string; index?: boolean } = {}): void {
  const db = new Database(file);
  db.exec("CREATE TABLE metadata (name TEXT, value TEXT)");
  db.exec("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)");
  if (options.index !== false) db.exec("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)");
  const meta = db.prepare("INSERT INTO metadata VALUES (?, ?)");
  meta.run("name", "test");
  meta.run("format", options.format ?? "png");
  const insert = db.prepare("INSERT INTO tiles VALUES (?, ?, ?, ?)");
  for (const t of tiles) insert.run(t.z, t.x, 2 ** t.z - 1 - t.y, t.data);
  db.close();
}

/** A z/x/y.png folder, as tile downloaders write it. */
export function writeTileFolder(root: string, tiles: TileSpec[]): void {
  for (const t of tiles) {
    fs.mkdirSync(path.join(root, String(t.z), String(t.x)), { recursive: true });
    fs.writeFileSync(path.join(root, String(t.z), String(t.x), `${t.y}.png`), t.data);
  }
}
