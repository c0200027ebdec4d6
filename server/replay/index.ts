/** server/replay: recorded flights replayed through the live pipeline on a virtual clock, with their seek indexes. */
export { ReplaySessions } from "./sessions";
export type { ReplayHandle, ReplaySessionsDeps, ReplaySink } from "./sessions";
export { SeekIndexes, CHECKPOINT_MS } from "./index-store";
export { ENGINE_TICK_MS, FlightPipeline } from "./pipeline";
export { BookmarkStore, bookmarkMigrations, bookmarkCreateSchema, isRefusal, MAX_NOTE_CHARS, MAX_BOOKMARKS_PER_FLIGHT } from "./bookmarks";
export type { BookmarkCreate, BookmarkRefusal } from "./bookmarks";
export { attachReplay, replayOpenSchema, replayControlSchema, replayRoleCheck, REPLAY_NAMESPACE, REPLAY_ROLES } from "./socket";
export type { ReplayNamespace, ReplayOpener, ReplaySocket, ReplaySocketDeps } from "./socket";
export { buildReplay } from "./build";
export type { ReplayBuildDeps, ReplayParts } from "./build";
