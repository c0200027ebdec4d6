import type { Generated } from "kysely";

/** The alerts' tables (migrations 5, 11, 22 and 23) as the query builder sees them, on both engines. */
export interface AlertTables {
  /** Ids are given by the engine, from blocks taken out of alert_ids. */
  alerts: {
    id: number;
    vehicle: string;
    rule: string;
    severity: string;
    text: string;
    count: number;
    raised_at: number;
    updated_at: number;
    cleared_at: number | null;
    clear_reason: string | null;
    acknowledged_by: string | null;
    acknowledged_at: number | null;
    /** The data directory id of the server that raised it (null: raised before servers were told apart). */
    raised_by: Generated<string | null>;
  };
  /** One row: the next alert id not yet handed out. */
  alert_ids: {
    one: number;
    next_id: number;
  };
  vehicle_events: {
    id: Generated<number>;
    vehicle: string;
    time: number;
    kind: string;
    /** The event's JSON without key and time. */
    detail: string;
  };
}
