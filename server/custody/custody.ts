/**
 * The custody log of an item or an incident: every audit entry about it (viewed, streamed, downloaded, exported,
 * linked, unlinked, offsets set...), in order, with each entry's place in the hash chain. For an incident it is the
 * incident's own entries and those of everything ever linked to it.
 */
import type { AuditEntry } from "../audit";
import type { IncidentLink } from "../protocol";

export interface CustodySources {
  audit: { forTargets(targets: readonly string[], limit?: number): Promise<AuditEntry[]> };
  /** The uploads a footage file came from (their entries say who sent the bytes). */
  uploadsOf(footageId: number): Promise<string[]>;
}

/** Entries in one custody log: far beyond a real case's; the CSV and the bundle say when it was cut. */
export const MAX_CUSTODY_ENTRIES = 200_000;

export async function itemTargets(kind: "flight" | "footage", id: number, src: Pick<CustodySources, "uploadsOf">): Promise<string[]> {
  return kind === "flight" ? [`flight:${id}`] : [`footage:${id}`, ...(await src.uploadsOf(id)).map((u) => `upload:${u}`)];
}

export async function incidentTargets(incidentId: number, links: readonly IncidentLink[], src: Pick<CustodySources, "uploadsOf">): Promise<string[]> {
  const targets = new Set([`incident:${incidentId}`]);
  for (const l of links) for (const t of await itemTargets(l.kind, l.itemId, src)) targets.add(t);
  return [...targets];
}

export async function custodyEntries(targets: readonly string[], src: CustodySources): Promise<AuditEntry[]> {
  return src.audit.forTargets(targets, MAX_CUSTODY_ENTRIES);
}

/** A spreadsheet must not run a cell as a formula: one starting with = + - @ (or a tab/CR) is prefixed with '. */
function cell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CUSTODY_COLUMNS = ["entry", "time_utc", "actor", "address", "action", "target", "result", "detail", "prev_hash", "hash"] as const;

export function custodyCsv(entries: readonly AuditEntry[]): string {
  const lines = [CUSTODY_COLUMNS.join(",")];
  for (const e of entries) lines.push([e.id, e.time, e.actor, e.address, e.action, e.target, e.result, e.detail, e.prev_hash, e.hash].map(cell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
