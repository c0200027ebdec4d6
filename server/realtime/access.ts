import { z } from "zod";
import type { ClientToServerEvents, Role, ServerToClientEvents } from "../protocol";

/**
 * Who may use each Socket.IO event, in one place. Every socket is signed in (the handshake refuses the rest),
 * so server-to-client events go to anyone signed in; each client-to-server event names the roles that may send
 * it and the schema of its payload. Adding an event to the contract without an entry here fails to compile.
 */
export type Audience = "signed-in";

export const EVENT_ACCESS: Record<keyof ServerToClientEvents, Audience> = {
  "vehicles:snapshot": "signed-in",
  "vehicles:frame": "signed-in",
  "vehicle:statustext": "signed-in",
  "vehicle:link": "signed-in",
  "links:status": "signed-in",
  "control:state": "signed-in",
  "session:ended": "signed-in",
};

export interface CommandAccess {
  /** Any one of these roles lets a user send the event. */
  roles: readonly Role[];
  /** The payload (first argument); a payload that does not parse gets `bad_request`. */
  schema: z.ZodType;
}

const vehicleRequest = z.object({ key: z.string().min(1).max(32) }).strict();

export const COMMAND_ACCESS: Record<keyof ClientToServerEvents, CommandAccess> = {
  "control:take": { roles: ["pilot"], schema: vehicleRequest },
  "control:release": { roles: ["pilot"], schema: vehicleRequest },
  "control:override": { roles: ["admin"], schema: vehicleRequest },
  "vehicle:requestHome": { roles: ["pilot"], schema: vehicleRequest },
};

export const CLIENT_EVENTS = Object.keys(COMMAND_ACCESS) as (keyof ClientToServerEvents)[];
