import type {
  Alert, CommandReply, Mission, MissionUploadReply, Result, VehicleCommandRequest, VehicleControl, VehicleKey,
  VehicleMissionInfo,
} from "../protocol";
import { ok } from "../protocol";
import type { Caller, CommandHandlers } from "./commands";

/** Who did something, for control and the audit log. */
export interface Actor {
  name: string;
  sessionHash: string;
  address: string;
}

/** What the Socket.IO events act on; each service checks control itself and audits. */
export interface LiveServices {
  control: {
    take(key: VehicleKey, actor: Actor): Result<VehicleControl>;
    /** An admin may release whoever holds the vehicle; anyone else only their own. */
    release(key: VehicleKey, actor: Actor, as: { admin: boolean }): Result<VehicleControl>;
    /** An admin who is a pilot takes the vehicle over; one who is not frees it for a pilot. */
    override(key: VehicleKey, actor: Actor, as: { pilot: boolean }): Result<VehicleControl>;
  };
  commands: {
    command(request: VehicleCommandRequest, actor: Actor, onProgress: (progress: number | null) => void): Promise<Result<CommandReply>>;
  };
  missions: {
    upload(key: VehicleKey, plan: Mission, actor: Actor): Promise<Result<MissionUploadReply>>;
    download(key: VehicleKey, actor: Actor): Promise<Result<VehicleMissionInfo>>;
    clear(key: VehicleKey, actor: Actor): Promise<Result<VehicleMissionInfo>>;
  };
  alerts: {
    acknowledge(id: number, actor: { name: string; address: string }): Promise<Result<Alert>>;
  };
}

const actorOf = (c: Caller): Actor => ({ name: c.user.name, sessionHash: c.sessionHash, address: c.address });

/** The handler of every client-to-server event (roles and payloads are checked before, by the access table). */
export function liveHandlers(s: LiveServices): CommandHandlers {
  return {
    "vehicles:watch": (req, c) => ok({ keys: c.watch(req.keys) }),
    "control:take": (req, c) => s.control.take(req.key, actorOf(c)),
    "control:release": (req, c) => s.control.release(req.key, actorOf(c), { admin: c.user.roles.includes("admin") }),
    "control:override": (req, c) => s.control.override(req.key, actorOf(c), { pilot: c.user.roles.includes("pilot") }),
    "vehicle:command": (req, c) => s.commands.command(req, actorOf(c),
      (progress) => c.progress({ key: req.key, command: req.command.kind, progress })),
    "mission:upload": (req, c) => s.missions.upload(req.key, req.plan, actorOf(c)),
    "mission:download": (req, c) => s.missions.download(req.key, actorOf(c)),
    "mission:clear": (req, c) => s.missions.clear(req.key, actorOf(c)),
    "alert:ack": (req, c) => s.alerts.acknowledge(req.id, actorOf(c)),
  };
}
