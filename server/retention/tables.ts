import type { Generated } from "kysely";
import type { DeletionRequest } from "../protocol";
import type { RetainedKind } from "./items";

/** The deletion queue as the query builder sees it, on both engines (migrations 17 and 20). */
export interface RetentionTables {
  deletion_requests: {
    id: Generated<number>;
    kind: RetainedKind;
    item_id: number;
    reason: string;
    requested_by: string;
    requested_at: number;
    due_at: number;
    state: DeletionRequest["state"];
    decided_by: Generated<string | null>;
    decided_at: Generated<number | null>;
    outcome: Generated<string | null>;
  };
}
