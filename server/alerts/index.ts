export { AlertEngine } from "./engine";
export type { AlertEngineDeps, AlertAudit, AlertAuditInput, SystemAlert } from "./engine";
export { SqliteAlertStore } from "./store";
export type { AlertStore, NewAlert } from "./store";
export { alertMigrations } from "./schema";
export { DEFAULT_ALERT_TUNING } from "./tuning";
export type { AlertTuning } from "./tuning";
export { parseFailsafeText } from "./failsafe";
export { fenceCheck, zonesOf } from "./fence";
