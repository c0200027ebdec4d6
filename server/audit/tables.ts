import type { Generated } from "kysely";
import type { AuditEntry } from "./entry";

/** The audit log's tables (migrations 4, 9 and 21) as the query builder sees them, on both engines. */
export interface AuditTables {
  /** Ids are given by the appender (the head + 1), as they are part of each entry's hash. */
  audit_log: AuditEntry;
  audit_checkpoints: {
    id: Generated<number>;
    entry_id: number;
    entry_hash: string;
    entries: number;
    time: string;
    key_fingerprint: string;
    signature: string;
  };
  /** One row: the id of the last entry ever appended. */
  audit_head: {
    one: number;
    last_id: number;
  };
}
