import type { CustodyEntry } from "../../../../server/protocol";

/** What each audited action means, in the words a custody report uses. */
const ACTION_TEXT: Record<string, string> = {
  incident_created: "Incident created", incident_edited: "Incident edited", incident_closed: "Incident closed",
  incident_reopened: "Incident reopened", incident_linked: "Linked to the incident", incident_unlinked: "Unlinked from the incident",
  incident_exported: "Incident exported in a bundle", bundle_downloaded: "Bundle downloaded",
  custody_exported: "Custody log saved as CSV", custody_report_printed: "Custody report printed",
  footage_upload_started: "Upload started", footage_stored: "Original stored", footage_duplicate: "Uploaded again (same SHA-256)",
  footage_refused: "Upload refused", footage_viewed: "Footage viewed", footage_downloaded: "Original downloaded",
  footage_sidecar_added: "Sidecar stored", footage_sync_set: "Sync offset set", footage_exported: "Footage exported in a bundle",
  footage_derivative_requested: "Derivative requested", footage_derivative_made: "Derivative made", footage_derivative_failed: "Derivative failed",
  footage_deleted: "Footage deleted (retention)", flight_deleted: "Flight deleted (retention)",
  flight_exported: "Flight exported", flight_imported: "Flight imported", flight_verified: "Flight checked against its seal",
  flight_integrity_failed: "Flight failed its seal check", flight_note_added: "Note added", flight_messages_read: "Messages read",
  flight_report_printed: "Flight report printed", replay_opened: "Replayed", bookmark_added: "Bookmark added",
  retention_deletion_requested: "Deletion requested", retention_deletion_cancelled: "Deletion cancelled",
  retention_deletion_blocked: "Deletion blocked (legal hold)",
  evidence_integrity_failed: "Failed its integrity check", evidence_integrity_checked: "Integrity checked",
};

export const describeAction = (action: string): string => ACTION_TEXT[action] ?? action.replace(/_/g, " ");

/** "footage:12" -> "Footage 12"; an upload's id is long, so it is cut. */
export function describeTarget(target: string): string {
  const [kind, id = ""] = target.split(":", 2);
  if (kind === "upload") return `Upload ${id.slice(0, 8)}`;
  return kind ? `${kind[0]!.toUpperCase()}${kind.slice(1)} ${id}`.trim() : "—";
}

/** The detail fields a reader needs (reason, hashes, names), in words; the full JSON stays in the CSV and the bundle. */
const SHOWN = ["reason", "name", "bundle", "kind", "from", "to", "source", "sha256", "video", "bytes", "entries", "startsAt"] as const;

export function describeDetail(detail: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return detail;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "";
  const d = parsed as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of SHOWN) {
    const v = d[key];
    if (v === undefined || v === null || typeof v === "object") continue;
    parts.push(key === "reason" ? `“${String(v)}”` : `${key} ${String(v)}`);
  }
  return parts.join(" · ");
}

/** An entry's time as the evidence writes it: "2026-11-21 22:01:00 UTC" (to the second; the CSV keeps the ms). */
export const entryTime = (e: Pick<CustodyEntry, "time">): string => `${e.time.slice(0, 19).replace("T", " ")} UTC`;
