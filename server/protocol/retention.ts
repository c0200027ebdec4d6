/** Retention of evidence and the integrity sweep of stored footage, as the admin routes answer them. */
import type { EvidenceKind } from "./incidents";

export type RetentionCategory = "evidential" | "non_evidential";

export interface RetentionPolicy {
  nonEvidentialDays: number;
  evidentialDays: number;
  recoveryDays: number;
}

export interface DeletionRequest {
  id: number;
  kind: EvidenceKind;
  itemId: number;
  reason: string;
  requestedBy: string;
  requestedAt: number;
  dueAt: number;
  state: "pending" | "cancelled" | "done" | "blocked";
  decidedBy: string | null;
  decidedAt: number | null;
  outcome: string | null;
}

export interface RetentionUsageRow {
  category: RetentionCategory | "legal_hold" | "deleted";
  items: number;
  bytes: number;
}

export interface RetentionUsage {
  policy: RetentionPolicy;
  footage: RetentionUsageRow[];
  flights: RetentionUsageRow[];
}

/** GET /api/retention: the policy, the disk used per category, and the deletion queue (newest first). */
export interface RetentionOverview extends RetentionUsage {
  requests: DeletionRequest[];
}

export type FootageCheckState = "ok" | "altered" | "missing";

export interface EvidenceSweepResult {
  startedAt: number;
  finishedAt: number;
  /** Who asked ("system" for the periodic sweep). */
  startedBy: string;
  /** Footage files looked at (deleted ones are skipped), and the files read (originals and sidecars). */
  footage: number;
  files: number;
  bytes: number;
  ok: number;
  altered: number;
  missing: number;
  /** Footage that fails, with what fails ("original altered: read 3f2c..."). */
  failures: { footageId: number; state: Exclude<FootageCheckState, "ok">; problem: string }[];
  /** The sweep stopped before the end (the server stopping). */
  abandoned: boolean;
}

/** GET /api/evidence/sweep. */
export interface EvidenceSweepStatus {
  running: boolean;
  last: EvidenceSweepResult | null;
}
