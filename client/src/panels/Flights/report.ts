import { formatBytes, shortHash } from "./format";

/** What POST /api/flights/import found in the file. */
export interface ImportReport {
  packets: number;
  garbageBytes: number;
  crcErrors: number;
  /** The file ended inside a packet. */
  truncated: boolean;
  sha256: string;
  sizeBytes: number;
  /** The same file (same SHA-256) was imported before: nothing new was created. */
  duplicate?: boolean;
}

/** The answer, reduced to what the page uses (the flights' ids: the list is fetched again anyway). */
export interface ImportResult {
  flights: { id: number }[];
  report: ImportReport;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

export interface ImportWording {
  /** "caution" when anything in the file was not valid, or no flight was found. */
  tone: "ok" | "caution";
  lines: string[];
}

/**
 * The import report in words: "Imported 1 flight; 0 garbage bytes, 0 CRC errors", then what was wrong with the
 * file, then what was kept (packets, size, hash) so the reviewer can note it.
 */
export function describeImport({ flights, report }: ImportResult): ImportWording {
  const found = flights.length === 0 ? "No flight found in the file" : `Imported ${plural(flights.length, "flight", "flights")}`;
  const lines = report.duplicate ? ["Already imported (same SHA-256): nothing new was created"] : [];
  lines.push(`${found}; ${plural(report.garbageBytes, "garbage byte", "garbage bytes")}, ${plural(report.crcErrors, "CRC error", "CRC errors")}`);
  if (report.truncated) lines.push("file truncated: the last packet was incomplete");
  lines.push(`${plural(report.packets, "packet", "packets")}, ${formatBytes(report.sizeBytes)}, SHA-256 ${shortHash(report.sha256)} `
    + "(the file as uploaded, kept unchanged; each flight's own file, extracted from it, has its own SHA-256)");
  const clean = flights.length > 0 && !report.duplicate && report.garbageBytes === 0 && report.crcErrors === 0 && !report.truncated;
  return { tone: clean ? "ok" : "caution", lines };
}

function isNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null;
}

function flightIds(x: unknown): { id: number }[] | null {
  if (!Array.isArray(x)) return null;
  const ids = x.map((f) => (isRecord(f) && isNumber(f.id) ? { id: f.id } : null));
  return ids.every((f) => f !== null) ? (ids as { id: number }[]) : null;
}

/** The counts either flat (the REST contract) or under `invalid` (the server's importer report, passed through). */
function reportOf(r: Record<string, unknown>): ImportReport | null {
  const bad = isRecord(r.invalid) ? r.invalid : r;
  const { packets, sha256, sizeBytes, duplicate } = r;
  const { garbageBytes, crcErrors, truncated } = bad;
  if (!isNumber(packets) || !isNumber(garbageBytes) || !isNumber(crcErrors) || typeof truncated !== "boolean"
    || typeof sha256 !== "string" || !isNumber(sizeBytes)) return null;
  return { packets, garbageBytes, crcErrors, truncated, sha256, sizeBytes, ...(duplicate === true ? { duplicate } : {}) };
}

/**
 * Reads the server's answer: { flights: FlightSummary[], report } as the contract says, or the importer's own
 * report (counts under `invalid`, flights as {id,...}) should the route pass that through. Null for anything else.
 */
export function readImportResult(body: unknown): ImportResult | null {
  if (!isRecord(body)) return null;
  const flights = flightIds(body.flights);
  if (!flights) return null;
  const report = isRecord(body.report) ? reportOf(body.report) : reportOf(body);
  return report ? { flights, report } : null;
}
