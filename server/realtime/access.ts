import type { ServerToClientEvents } from "../protocol";

/**
 * Who may receive each Socket.IO event. Live telemetry is for every role (pilots, the control room,
 * reviewers); accounts and sessions arrive with the access-control work, and the handshake check will
 * read this table. Adding an event to the contract without an entry here fails to compile.
 */
export type Audience = "anyone";

export const EVENT_ACCESS: Record<keyof ServerToClientEvents, Audience> = {
  "vehicles:snapshot": "anyone",
  "vehicles:frame": "anyone",
  "vehicle:statustext": "anyone",
  "vehicle:link": "anyone",
  "links:status": "anyone",
};
