import fs from "node:fs";
import Database from "better-sqlite3";
import { localTiles } from "../config";
import type { LocalTiles } from "../config";

/** The template the web client gets for tiles this server serves itself (see tiles-route.ts). */
export const LOCAL_TILE_URL = "/tiles/{z}/{x}/{y}";

/** Deepest zoom served: OpenStreetMap-style sources stop at 19-22; the bound keeps 2^z exact and small. */
export const MAX_ZOOM = 24;

/** Largest tile read: raster tiles are tens of kB; anything bigger is not a tile and is not loaded into memory. */
export const MAX_TILE_BYTES = 4 * 1024 * 1024;

export interface Tile {
  data: Buffer;
  contentType: string;
}

/** Tiles by XYZ (slippy map) coordinates, y counted from the north as Leaflet asks. */
export interface TileSource {
  /** "MBTiles /maps/london.mbtiles", for logs. */
  readonly description: string;
  /** The tile, or null when the source has none there (or it is too large to be one). */
  tile(z: number, x: number, y: number): Promise<Tile | null>;
  close(): void;
}

/** A local tile source that cannot be used: the message says which file and why (printed at start). */
export class TileSourceError extends Error {}

/** The media type from the first bytes: what the file is, whatever its name says. */
export function tileContentType(data: Buffer): string {
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47) return "image/png";
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "image/jpeg";
  if (data.length >= 12 && data.toString("latin1", 0, 4) === "RIFF" && data.toString("latin1", 8, 12) === "WEBP") return "image/webp";
  if (data.length >= 6 && data.toString("latin1", 0, 3) === "GIF") return "image/gif";
  return "application/octet-stream";
}

function folderSource(template: string): TileSource {
  // Only whole numbers are put into the operator's template: no request can name another file.
  const fileOf = (z: number, x: number, y: number) =>
    template.replace(/\{z\}/g, String(z)).replace(/\{x\}/g, String(x)).replace(/\{y\}/g, String(y));
  return {
    description: `tile folder ${template}`,
    async tile(z, x, y) {
      let handle: fs.promises.FileHandle;
      try {
        handle = await fs.promises.open(fileOf(z, x, y), "r");
      } catch {
        return null;
      }
      try {
        const stat = await handle.stat();
        if (!stat.isFile() || stat.size > MAX_TILE_BYTES) return null;
        const data = await handle.readFile();
        return { data, contentType: tileContentType(data) };
      } finally {
        await handle.close();
      }
    },
    close() {},
  };
}

interface TileRow {
  data: Buffer | null;
  size: number | null;
}

/**
 * MBTiles (SQLite, https://github.com/mapbox/mbtiles-spec): read-only, one indexed lookup per tile. Rows are in
 * TMS order (y counted from the south), so y is flipped.
 */
function mbtilesSource(file: string): TileSource {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma("query_only = ON");
  } catch (err) {
    throw new TileSourceError(`${file} cannot be opened as MBTiles: ${(err as Error).message}`);
  }
  try {
    checkMbtiles(db, file);
  } catch (err) {
    db.close();
    throw err;
  }
  // The size is read first, and the blob only when it is small enough: one statement, no large allocation.
  const lookup = db.prepare<[number, number, number, number], TileRow>(`SELECT
      CASE WHEN length(tile_data) <= ? THEN tile_data END AS data, length(tile_data) AS size
    FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?`);
  return {
    description: `MBTiles ${file}`,
    tile(z, x, y) {
      const row = lookup.get(MAX_TILE_BYTES, z, x, 2 ** z - 1 - y);
      if (!row?.data) return Promise.resolve(null);
      return Promise.resolve({ data: row.data, contentType: tileContentType(row.data) });
    },
    close() {
      db.close();
    },
  };
}

function checkMbtiles(db: Database.Database, file: string): void {
  let hasTiles: boolean;
  try {
    hasTiles = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'tiles' AND type IN ('table', 'view')").get() !== undefined;
  } catch (err) {
    throw new TileSourceError(`${file} is not an SQLite (MBTiles) file: ${(err as Error).message}`);
  }
  if (!hasTiles) throw new TileSourceError(`${file} has no "tiles" table: not an MBTiles file`);
  const hasMetadata = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'metadata'").get() !== undefined;
  const format = hasMetadata
    ? db.prepare<[], { value: string }>("SELECT value FROM metadata WHERE name = 'format'").get()?.value
    : undefined;
  if (format !== undefined && !["png", "jpg", "jpeg", "webp"].includes(format.toLowerCase())) {
    throw new TileSourceError(`${file} holds "${format}" tiles: the map shows raster tiles (png, jpg, webp); export raster tiles`);
  }
  // A tile is looked up on the event loop: a file without an index would scan the whole table for each one.
  const plan = db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN SELECT tile_data FROM tiles
    WHERE zoom_level = 1 AND tile_column = 1 AND tile_row = 1`).all();
  if (plan.some((step) => /^SCAN /.test(step.detail))) {
    throw new TileSourceError(`${file} has no index on tiles (zoom_level, tile_column, tile_row): add one with `
      + `sqlite3 ${file} "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)"`);
  }
}

/** Opens a local tile source; throws TileSourceError when it cannot serve tiles. */
export function openTileSource(local: LocalTiles): TileSource {
  return local.kind === "mbtiles" ? mbtilesSource(local.file) : folderSource(local.template);
}

/** The tile source a --tile-url names when it is a local one (file://), opened; null for a network tile server. */
export function openConfiguredTiles(tileUrl: string | null): TileSource | null {
  const local = localTiles(tileUrl);
  return local === null ? null : openTileSource(local);
}
