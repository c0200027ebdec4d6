export { AuditLog } from "./log";
export type { VerifyResult } from "./log";
export { AUDIT_ACTIONS, GENESIS_HASH, canonicalJson, entryHash } from "./entry";
export type { AuditAction, AuditEntry, AuditInput, JsonValue } from "./entry";
export { auditMigrations } from "./schema";
