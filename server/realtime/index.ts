export { RealtimeServer } from "./server";
export type { LiveSource, LiveServer } from "./server";
export { EVENT_ACCESS } from "./access";
