/** Custody logs and evidence bundles, as the REST routes answer them. */

/** One audit entry about an item: its place in the hash chain (prev_hash, hash) included. */
export interface CustodyEntry {
  id: number;
  time: string;
  actor: string;
  address: string;
  action: string;
  target: string;
  result: string;
  /** Canonical JSON text, exactly as hashed. */
  detail: string;
  prev_hash: string;
  hash: string;
}

/** An item whose custody the log covers: a flight's .tlog or a footage original, with the hash it was sealed or stored with. */
export interface CustodyItem {
  kind: "flight" | "footage";
  id: number;
  /** "Flight 7, vehicle 1:1, from 2026-11-21 22:00:00 UTC" or the footage's original name. */
  label: string;
  /** Null while a flight is still recording (not sealed yet). */
  sha256: string | null;
  /** For an incident's log: whether the item is linked now (an unlinked item stays in the log). */
  linked: boolean;
}

/** What a custody log is about. */
export interface CustodySubject {
  kind: "incident" | "flight" | "footage";
  id: number;
  /** "CAD 9001/21NOV26 · Assault, Strand", "Flight 7" or the footage's original name. */
  label: string;
  /** The items it covers: the flight or footage itself, or everything ever linked to the incident. */
  items: CustodyItem[];
}

export interface CustodyLog {
  subject: CustodySubject;
  /** When and for whom the log was read (a printed report shows both). */
  generatedAt: number;
  generatedBy: string;
  entries: CustodyEntry[];
  /** True when the log was cut at its bound (MAX_CUSTODY_ENTRIES): the bundle's chain file holds everything. */
  truncated: boolean;
}

/** A bundle being made (POST /api/incidents/:id/export answers one; GET /api/exports/jobs/:job follows it). */
export interface ExportJob {
  id: string;
  incidentId: number;
  by: string;
  state: "waiting" | "building" | "done" | "failed";
  startedAt: number;
  finishedAt: number | null;
  result: { name: string; files: number; bytes: number } | null;
  /** Why it failed, in words. */
  message: string | null;
}

/** A finished bundle under <data dir>/exports. */
export interface BundleListing {
  name: string;
  createdAt: number;
  incidentId: number;
  reference: string;
  createdBy: string;
  /** Files in the bundle (SHA256SUMS included) and the bytes of its flights and footage. */
  files: number;
  bytes: number;
}

export interface BundleList {
  bundles: BundleListing[];
}
