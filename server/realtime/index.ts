export { RealtimeServer } from "./server";
export type { LiveSource, LiveServer, SocketSessions, RealtimeOptions } from "./server";
export { EVENT_ACCESS, COMMAND_ACCESS, CLIENT_EVENTS } from "./access";
export type { Audience, CommandAccess } from "./access";
export type { Caller, CommandHandlers } from "./commands";
export { liveHandlers } from "./handlers";
export type { Actor, LiveServices } from "./handlers";
export { buildRealtime } from "./build";
export type { RealtimeBuildDeps } from "./build";
