/**
 * What retention keeps, whatever its kind: footage (an original and its sidecar in the evidence store) and flights
 * (a .tlog under the data directory, with telemetry series derived from it). Each kind is read as a RetainedItem and
 * deleted its own way; the queue, holds and periods are the same for both.
 */
import type { EvidenceKind, FootageSummary } from "../protocol";
import type { RetainedFlight, FlightTombstone } from "../flights";

export type RetainedKind = EvidenceKind;

export interface RetainedItem {
  kind: RetainedKind;
  id: number;
  /** Where its retention period starts: footage's upload, a flight's end (its start while it has none). */
  since: number;
  bytes: number;
  sha256: string | null;
  deleted: boolean;
  /** Why it cannot be queued at all, holds apart (a flight still being recorded), or null. */
  busy: string | null;
}

/** How retention reaches the flights (built from FlightParts in build.ts; optional where only footage is kept). */
export interface FlightRetentionDeps {
  get(id: number): Promise<RetainedFlight | null>;
  all(): Promise<RetainedFlight[]>;
  markDeleted(id: number, tombstone: FlightTombstone): Promise<void>;
  /** Removes the .tlog and what is derived from it; says in words what went. */
  remove(f: RetainedFlight): Promise<string>;
}

export const footageItem = (f: FootageSummary): RetainedItem => ({
  kind: "footage", id: f.id, since: f.uploadedAt, bytes: f.sizeBytes, sha256: f.sha256, deleted: Boolean(f.deleted), busy: null,
});

export const flightItem = (f: RetainedFlight): RetainedItem => ({
  kind: "flight", id: f.id, since: f.endedAt ?? f.startedAt, bytes: f.sizeBytes ?? 0, sha256: f.sha256, deleted: f.deleted !== null,
  busy: f.status === "recording" || f.sha256 === null ? `flight ${f.id} is still being recorded` : null,
});

/** "footage 3", "flight 12": how messages name an item. */
export const nameOf = (kind: RetainedKind, id: number) => `${kind} ${id}`;
