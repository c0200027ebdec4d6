// QGC WPL 110 plain-text missions (https://mavlink.io/en/file_formats/): a header line, then one tab-separated
// line per item: INDEX CURRENT FRAME COMMAND P1 P2 P3 P4 LAT LON ALT AUTOCONTINUE. Index 0 is home.
// The format carries no fence or rally points: parsing yields empty ones, serialising drops them.
import { z } from "zod";
import { MissionFileError, coordinateProblem, emptyMission, isGlobalFrame } from "./types";
import type { Mission, MissionItem } from "./types";

const HEADER = "QGC WPL 110";
const COLUMNS = ["INDEX", "CURRENT", "FRAME", "COMMAND", "P1", "P2", "P3", "P4", "LAT", "LON", "ALT", "AUTOCONTINUE"] as const;

const textSchema = z.string({ invalid_type_error: "a .waypoints file must be text" });

interface Row {
  index: number;
  frame: number;
  command: number;
  params: [number | null, number | null, number | null, number | null];
  lat: number;
  lon: number;
  alt: number;
  autocontinue: boolean;
}

export function parseWaypoints(input: unknown): Mission {
  const parsed = textSchema.safeParse(input);
  if (!parsed.success) throw new MissionFileError(parsed.error.issues[0]?.message ?? "not text");
  const text = parsed.data.replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim() ?? "";
  if (header !== HEADER) {
    const why = header.startsWith("QGC WPL") ? `unsupported version "${header}"` : "missing header";
    throw new MissionFileError(`line 1: ${why}; expected "${HEADER}"`, 1);
  }
  const mission = emptyMission();
  let expected = 0;
  lines.slice(1).forEach((raw, i) => {
    const lineNo = i + 2;
    if (raw.trim() === "") return;
    const row = parseRow(raw, lineNo);
    if (row.index !== expected) {
      fail(lineNo, `index ${row.index} out of order; expected ${expected}`);
    }
    expected += 1;
    if (row.index === 0) {
      mission.home = { lat: row.lat, lon: row.lon, altAmsl: row.alt };
    } else {
      const { index: _index, ...item } = row;
      mission.items.push(item);
    }
  });
  return mission;
}

function fail(line: number, problem: string): never {
  throw new MissionFileError(`line ${line}: ${problem}`, line);
}

function parseRow(raw: string, lineNo: number): Row {
  // The format is tab-separated, but hand-edited files often use spaces: accept any whitespace run.
  const fields = raw.trim().split(/\s+/);
  if (fields.length !== COLUMNS.length) {
    fail(lineNo, `expected ${COLUMNS.length} tab-separated columns, found ${fields.length}`);
  }
  const n = fields.map((f, i) => parseNumber(f, COLUMNS[i] ?? "?", lineNo));
  const at = (i: number): number => n[i] ?? NaN;
  for (const [i, name] of [[0, "INDEX"], [1, "CURRENT"], [2, "FRAME"], [3, "COMMAND"], [11, "AUTOCONTINUE"]] as const) {
    if (!Number.isInteger(at(i)) || at(i) < 0) fail(lineNo, `${name} must be a non-negative integer, got "${fields[i]}"`);
  }
  const row: Row = {
    index: at(0),
    frame: at(2),
    command: at(3),
    params: [unset(at(4)), unset(at(5)), unset(at(6)), unset(at(7))],
    lat: at(8),
    lon: at(9),
    alt: at(10),
    autocontinue: at(11) !== 0,
  };
  if (isGlobalFrame(row.frame) || row.index === 0) {
    const problem = coordinateProblem(row.lat, row.lon);
    if (problem) fail(lineNo, problem);
  }
  return row;
}

function parseNumber(field: string, column: string, lineNo: number): number {
  // QGroundControl writes unset params as "nan"; x/y/z must be real numbers.
  if (/^[+-]?nan$/i.test(field) && column.startsWith("P")) return NaN;
  const value = Number(field);
  if (field === "" || !Number.isFinite(value)) fail(lineNo, `${column} is not a number: "${field}"`);
  return value;
}

const unset = (value: number): number | null => (Number.isNaN(value) ? null : value);

function formatNumber(value: number | null): string {
  return value === null || Number.isNaN(value) ? "nan" : String(value);
}

function formatRow(index: number, item: Omit<MissionItem, "autocontinue"> & { autocontinue: boolean }): string {
  return [
    index,
    index === 0 ? 1 : 0,
    item.frame,
    item.command,
    ...item.params.map(formatNumber),
    formatNumber(item.lat),
    formatNumber(item.lon),
    formatNumber(item.alt),
    item.autocontinue ? 1 : 0,
  ].join("\t");
}

/**
 * Writes QGC WPL 110 text. A null home is written as a zero home line when there are items (ArduPilot
 * replaces home with its own position anyway); fence and rally points are not representable and are dropped.
 */
export function serialiseWaypoints(mission: Mission): string {
  const lines = [HEADER];
  if (mission.home || mission.items.length > 0) {
    const home = mission.home ?? { lat: 0, lon: 0, altAmsl: 0 };
    lines.push(formatRow(0, {
      frame: 0, command: 16, params: [0, 0, 0, 0], lat: home.lat, lon: home.lon, alt: home.altAmsl, autocontinue: true,
    }));
  }
  mission.items.forEach((item, i) => lines.push(formatRow(i + 1, item)));
  return lines.join("\n") + "\n";
}
