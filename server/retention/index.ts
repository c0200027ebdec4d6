/** server/retention: how long footage and flights are kept, legal holds, the deletion queue, and evidence re-hashed. */
export { flightRetentionMigrations, retentionMigrations } from "./schema";
export { Retention, isRetentionRefusal } from "./service";
export type { DeletionRequest, ItemRetention, RetentionCategory, RetentionDeps, RetentionPolicy, RetentionRefusal, RetentionUsage } from "./service";
export type { FlightRetentionDeps, RetainedKind } from "./items";
export { buildRetention } from "./build";
export type { RetentionBuildDeps, RetentionParts } from "./build";
