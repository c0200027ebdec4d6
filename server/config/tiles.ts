import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A base map the server serves itself, for a unit without internet: a folder of tiles, or one MBTiles file.
 * `--tile-url file:///maps/london/{z}/{x}/{y}.png` or `--tile-url file:///maps/london.mbtiles`.
 */
export type LocalTiles =
  | { kind: "folder"; template: string; root: string }
  | { kind: "mbtiles"; file: string };

const PLACEHOLDERS = /\{z\}.*\{x\}.*\{y\}/;

/** Whether a --tile-url value has a form the server understands (checked by the schema). */
export function tileUrlShapeOk(url: string): boolean {
  if (/^file:/i.test(url)) return /\.mbtiles$/i.test(url) || PLACEHOLDERS.test(url);
  return PLACEHOLDERS.test(url);
}

/** The local tile source a file:// --tile-url names, or null for a tile server on the network (or none). */
export function localTiles(url: string | null): LocalTiles | null {
  if (url === null || !/^file:/i.test(url)) return null;
  const file = fileURLToPath(url);
  if (/\.mbtiles$/i.test(file)) return { kind: "mbtiles", file };
  // The folder is whatever comes before the first placeholder: .../tiles/{z}/{x}/{y}.png -> .../tiles
  const root = path.dirname(file.slice(0, file.indexOf("{")) + "x");
  return { kind: "folder", template: file, root };
}

/**
 * What stops the server from reading a local tile source, checked at start with the rest of the configuration
 * (the MBTiles content itself is checked when it is opened).
 */
export function localTilesProblems(url: string | null): string[] {
  let local: LocalTiles | null;
  try {
    local = localTiles(url);
  } catch (err) {
    return [`--tile-url: ${(err as Error).message}`];
  }
  if (local === null) return [];
  const target = local.kind === "mbtiles" ? local.file : local.root;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return [`--tile-url: ${target} does not exist`];
  }
  if (local.kind === "mbtiles" && !stat.isFile()) return [`--tile-url: ${target} is not a file`];
  if (local.kind === "folder" && !stat.isDirectory()) return [`--tile-url: ${target} is not a folder`];
  try {
    fs.accessSync(target, local.kind === "mbtiles" ? fs.constants.R_OK : fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    return [`--tile-url: ${target} is not readable by this user`];
  }
  return [];
}
