/** server/retention: how long footage is kept, legal holds, and the deletion queue with its recovery window. */
export { retentionMigrations } from "./schema";
export { Retention, isRetentionRefusal } from "./service";
export type { DeletionRequest, ItemRetention, RetentionCategory, RetentionDeps, RetentionPolicy, RetentionRefusal, RetentionUsage } from "./service";
export { buildRetention } from "./build";
export type { RetentionBuildDeps, RetentionParts } from "./build";
