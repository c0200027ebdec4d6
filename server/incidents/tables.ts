import type { Generated } from "kysely";

/** The incidents' tables (migration 14) as the query builder sees them, on both engines. */
export interface IncidentTables {
  incidents: {
    id: Generated<number>;
    reference: string;
    title: string;
    type: string;
    status: string;
    /** JSON of a stored location, or null. */
    location: string | null;
    start: number;
    end: number | null;
    officer: string;
    notes: string;
    created_at: number;
    created_by: string;
    updated_at: number;
    updated_by: string;
    version: number;
  };
  incident_history: {
    id: Generated<number>;
    incident_id: number;
    version: number;
    at: number;
    by: string;
    action: string;
    /** JSON of the field changes. */
    changes: string;
    reason: string | null;
  };
  incident_links: {
    id: Generated<number>;
    incident_id: number;
    kind: string;
    item_id: number;
    linked_at: number;
    linked_by: string;
    reason: string;
    unlinked_at: number | null;
    unlinked_by: string | null;
    unlink_reason: string | null;
  };
}
