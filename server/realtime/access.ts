import { z } from "zod";
import { missionSchema } from "../missions";
import { ROLES, WATCH_MAX } from "../protocol";
import type { ClientToServerEvents, Role, ServerToClientEvents } from "../protocol";

/**
 * Who may use each Socket.IO event, in one place. Every socket is signed in (the handshake refuses the rest),
 * so server-to-client events go to anyone signed in; each client-to-server event names the roles that may send
 * it and the schema of its payload. Adding an event to the contract without an entry here fails to compile.
 */
export type Audience = "signed-in";

export const EVENT_ACCESS: Record<keyof ServerToClientEvents, Audience> = {
  "vehicles:snapshot": "signed-in",
  // Only to the screens that just got their snapshot, after it.
  "vehicles:trails": "signed-in",
  "vehicles:frame": "signed-in",
  // Only to the screens that asked for those vehicles ("vehicles:watch").
  "vehicles:detail": "signed-in",
  "vehicles:events": "signed-in",
  "links:status": "signed-in",
  "control:state": "signed-in",
  "session:ended": "signed-in",
  // Sent only to the socket that asked.
  "command:progress": "signed-in",
  "mission:vehicle": "signed-in",
  // Reference, title and place only: the control room sees where jobs are, not their notes or officer.
  "incidents:open": "signed-in",
};

export interface CommandAccess {
  /** Any one of these roles lets a user send the event. */
  roles: readonly Role[];
  /** The payload (first argument); a payload that does not parse gets `bad_request`. */
  schema: z.ZodType;
}

const vehicleKey = z.string().regex(/^\d{1,3}:\d{1,3}$/, "a vehicle key like 1:1");
const vehicleRequest = z.object({ key: vehicleKey }).strict();
const latitude = z.number().finite().min(-90).max(90);
const longitude = z.number().finite().min(-180).max(180);
/** Above home, metres: ArduCopter takes off to at most its fence ceiling; 1 km bounds typing errors. */
const altitude = z.number().finite().min(1).max(1000);
const seq = z.number().int().min(0).max(65535);

const vehicleCommand = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("arm"), force: z.boolean().optional() }).strict(),
  z.object({ kind: z.literal("disarm"), force: z.boolean().optional() }).strict(),
  z.object({ kind: z.literal("setMode"), mode: z.string().regex(/^[A-Z_0-9]{2,20}$/, "a mode name like LOITER") }).strict(),
  z.object({ kind: z.literal("takeoff"), altM: altitude }).strict(),
  z.object({ kind: z.literal("land") }).strict(),
  z.object({ kind: z.literal("rtl") }).strict(),
  z.object({ kind: z.literal("brake") }).strict(),
  z.object({ kind: z.literal("goto"), lat: latitude, lon: longitude, altM: altitude }).strict(),
  z.object({ kind: z.literal("speed"), mps: z.number().finite().positive().max(50) }).strict(),
  z.object({ kind: z.literal("missionStart"), fromSeq: seq.min(1).optional() }).strict(),
  z.object({ kind: z.literal("missionPause") }).strict(),
  z.object({ kind: z.literal("missionResume") }).strict(),
  z.object({ kind: z.literal("setCurrent"), seq: seq.min(1) }).strict(),
]);

export const COMMAND_ACCESS: Record<keyof ClientToServerEvents, CommandAccess> = {
  // Every role sees the live map and may open a vehicle's instruments: this asks for nothing the frames do not show.
  "vehicles:watch": {
    roles: ROLES,
    schema: z.object({ keys: z.array(vehicleKey).max(WATCH_MAX, `at most ${WATCH_MAX} vehicles`) }).strict(),
  },
  "control:take": { roles: ["pilot"], schema: vehicleRequest },
  // An admin may always release: control overridden by mistake must not stay held for good.
  "control:release": { roles: ["pilot", "admin"], schema: vehicleRequest },
  "control:override": { roles: ["admin"], schema: vehicleRequest },
  "vehicle:command": {
    roles: ["pilot"],
    schema: z.object({ key: vehicleKey, command: vehicleCommand, confirmed: z.boolean().optional() }).strict(),
  },
  "mission:upload": { roles: ["pilot"], schema: z.object({ key: vehicleKey, plan: missionSchema }).strict() },
  "mission:download": { roles: ["pilot"], schema: vehicleRequest },
  "mission:clear": { roles: ["pilot"], schema: vehicleRequest },
  "alert:ack": { roles: ["pilot"], schema: z.object({ id: z.number().int().positive() }).strict() },
};

export const CLIENT_EVENTS = Object.keys(COMMAND_ACCESS) as (keyof ClientToServerEvents)[];
