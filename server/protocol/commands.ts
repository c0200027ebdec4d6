import type { Mission, MissionType } from "./mission";
import type { VehicleKey } from "./vehicle";

/**
 * What a pilot can ask a vehicle to do. Each becomes COMMAND_LONG / COMMAND_INT (or the mission protocol) on the
 * server; only the user holding the vehicle's control may send them. Degrees, metres, m/s.
 */
export type VehicleCommand =
  | { kind: "arm"; /** Skip the pre-arm checks (param2 21196): the client asks a second confirmation first. */ force?: boolean }
  | { kind: "disarm"; /** Disarm even in flight (the motors stop): the client asks a second confirmation first. */ force?: boolean }
  | { kind: "setMode"; mode: string }
  /** GUIDED, arm, NAV_TAKEOFF: ArduCopter's order; each step is waited for. */
  | { kind: "takeoff"; altM: number }
  | { kind: "land" }
  | { kind: "rtl" }
  /** BRAKE mode on a copter (stops and holds), LOITER-like hold elsewhere. */
  | { kind: "brake" }
  /** Fly to a point in GUIDED (DO_REPOSITION), at an altitude above home. */
  | { kind: "goto"; lat: number; lon: number; altM: number }
  | { kind: "speed"; mps: number }
  /** AUTO from the current item, or from `fromSeq` when given (MISSION_START / set current first). */
  | { kind: "missionStart"; fromSeq?: number }
  /** Hold position and remember the item (BRAKE/LOITER); missionResume continues in AUTO. */
  | { kind: "missionPause" }
  | { kind: "missionResume" }
  | { kind: "setCurrent"; seq: number };

export type VehicleCommandKind = VehicleCommand["kind"];

export interface VehicleCommandRequest {
  key: VehicleKey;
  command: VehicleCommand;
  /** Forced arm/disarm must carry this: the server refuses a force that the pilot did not confirm twice. */
  confirmed?: boolean;
}

/** The vehicle's answer, in words. A refusal is a failed Result whose code is the result ("denied", "timeout", ...). */
export interface CommandReply {
  result: "accepted";
  text: string;
  attempts: number;
  /** Texts the vehicle sent meanwhile (e.g. "Arming motors"). */
  vehicleTexts: string[];
}

/** Ack result codes that may appear as the `code` of a refused command. */
export type CommandRefusal =
  | "temporarily_rejected" | "denied" | "unsupported" | "failed" | "in_progress" | "cancelled" | "timeout"
  | "not_holder" | "not_sent" | "unconfirmed";

/** Progress of a command that the vehicle reports as IN_PROGRESS, pushed to the pilot who sent it. */
export interface CommandProgressEvent {
  key: VehicleKey;
  command: VehicleCommandKind;
  /** 0..100, or null when the vehicle does not say. */
  progress: number | null;
}

export type TransferDirection = "upload" | "download" | "clear";

/** Progress of a mission transfer with one vehicle, pushed to every pilot while it runs. */
export interface MissionProgressEvent {
  key: VehicleKey;
  direction: TransferDirection;
  missionType: MissionType;
  /** Items transferred so far, of `total`. */
  done: number;
  total: number;
  /** "verifying" is the download that checks an upload. */
  stage: "transfer" | "verifying" | "done" | "failed";
  /** Why it failed, in words, when stage is "failed". */
  message?: string;
}

/**
 * What the ground station knows is on a vehicle: the plan last verified there (uploaded then read back, or
 * downloaded). Null plan: nothing known (never read, or a transfer failed, so the old knowledge is void).
 */
export interface VehicleMissionInfo {
  key: VehicleKey;
  plan: Mission | null;
  /** When the plan was verified, ms. */
  verifiedAt: number | null;
  source: "upload" | "download" | null;
  /** Who uploaded it (user name), for uploads. */
  by: string | null;
}

export interface MissionUploadRequest {
  key: VehicleKey;
  plan: Mission;
}

export interface MissionUploadReply {
  /** Items per list as read back from the vehicle. */
  counts: Record<MissionType, number>;
  verifiedAt: number;
}
