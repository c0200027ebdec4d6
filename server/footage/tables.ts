import type { Generated } from "kysely";
import type { DerivativeKind, FootageCheckState, UploadState } from "../protocol";

/**
 * The footage tables as the query builder sees them, on both engines: footage and footage_uploads (migration 15,
 * the tombstone columns of 17), footage_sidecars and footage_sync (16, 19), footage_derivatives (18),
 * footage_integrity and evidence_sweeps (20).
 */
export interface FootageTables {
  footage: {
    id: Generated<number>;
    sha256: string;
    size_bytes: number;
    original_name: string;
    sidecar_name: string | null;
    uploaded_by: string;
    uploaded_at: number;
    /** JSON of the FootageProbe. */
    probe: string;
    /** Set once, by retention, when the bytes are deleted (migration 17). */
    deleted_at: Generated<number | null>;
    deletion_request: Generated<number | null>;
  };
  footage_uploads: {
    id: string;
    owner: string;
    original_name: string;
    size_bytes: number;
    state: UploadState;
    sha256: Generated<string | null>;
    footage_id: Generated<number | null>;
    message: Generated<string | null>;
    created_at: number;
    updated_at: number;
  };
  footage_sidecars: {
    footage_id: number;
    sha256: string;
    name: string;
    size_bytes: number;
    frames: number;
    added_by: string;
    added_at: number;
  };
  footage_sync: {
    id: Generated<number>;
    footage_id: number;
    flight_id: number;
    starts_at: number;
    source: string;
    detail: string;
    set_by: string;
    set_at: number;
    reason: string | null;
  };
  footage_derivatives: {
    id: Generated<number>;
    footage_id: number;
    kind: DerivativeKind;
    from_s: number | null;
    to_s: number | null;
    parent_sha256: string;
    sha256: string;
    size_bytes: number;
    /** JSON of the argv ffmpeg was run with. */
    command: string;
    ffmpeg_version: string;
    /** JSON of the derivative's FootageProbe. */
    probe: string;
    requested_by: string;
    requested_at: number;
    made_at: number;
    reason: string;
  };
  footage_integrity: {
    footage_id: number;
    state: FootageCheckState;
    checked_at: number;
    problem: string | null;
    /** The failure last written to the audit log ("state:problem"), so each is written once. */
    audited: string | null;
  };
  evidence_sweeps: {
    id: Generated<number>;
    started_at: number;
    finished_at: number;
    started_by: string;
    /** JSON of the EvidenceSweepResult. */
    result: string;
  };
}
