import type { Alert, AlertAckRequest, VehicleEvent } from "./alerts";
import type { SessionUser, VehicleControl } from "./auth";
import type {
  CommandProgressEvent, CommandReply, MissionProgressEvent, MissionUploadReply, MissionUploadRequest, VehicleCommandRequest,
  VehicleMissionInfo,
} from "./commands";
import type { IncidentMarker } from "./incidents";
import type { LinkStatus } from "./links";
import type { Result } from "./result";
import type { PackedTrail, TrailPoint } from "./trail";
import type { StatusText, VehicleKey, VehicleState } from "./vehicle";

/** Everything the live map needs on connect. */
export interface Snapshot {
  /** Who holds control of each vehicle. */
  control?: Record<VehicleKey, VehicleControl>;
  /** Server time of the snapshot, ms since epoch. */
  time: number;
  vehicles: VehicleState[];
  links: LinkStatus[];
  /**
   * Each vehicle's recent track, so a screen opened mid-flight shows where the drones have been. A replay's snapshot
   * holds them; the live one does not: a live screen gets them next, simplified and packed ("vehicles:trails").
   */
  trails?: Record<VehicleKey, TrailPoint[]>;
  /** What is known to be on each vehicle (missions verified by upload or download). */
  missions?: Record<VehicleKey, VehicleMissionInfo>;
  /** Alerts still active or not yet acknowledged, and the most recent others, newest first. */
  alerts?: Alert[];
  /** The vehicles' newest timeline events (mode changes, arming, mission end), newest first. */
  events?: VehicleEvent[];
  /** Open incidents with a place, for the map (every signed-in screen: the control room sees where jobs are). */
  incidents?: IncidentMarker[];
}

/**
 * A position as MAVLink carries it, in integers: [latitude 1e-7°, longitude 1e-7°, altitude AMSL mm, altitude above
 * home mm]. Half the characters of the same position as an object of decimals, and quicker to write and to read.
 */
export type PositionE7 = [number, number, number, number];

/**
 * A vehicle in a frame: its key and the top-level fields that changed since the frame before (every field when new).
 * Two fields of a patch stand for a field of the vehicle in a shorter form (`mergeVehicle` turns them back):
 * - `statusTextsAdded`: the status texts that came since the frame before, appended to the list a screen holds (which
 *   keeps the newest STATUS_TEXT_LIMIT), instead of the whole list again with each new text;
 * - `positionE7`: the new position in integers (PositionE7), when that is exactly the position.
 */
export type VehiclePatch = Partial<VehicleState> & { key: VehicleKey; statusTextsAdded?: StatusText[]; positionE7?: PositionE7 };

/**
 * One coalesced frame per tick, encoded once for every screen. A delta frame holds, for each vehicle that changed,
 * only the fields that changed since the previous frame; a screen merges them into what it holds (`mergeVehicle`).
 * A vehicle new to the screens, or due for its refresh (each goes whole every few seconds, a few a frame in turn),
 * is whole in it, and replaces the screen's copy. A full frame (`full: true`) holds every vehicle whole, and a vehicle
 * missing from it is gone: it goes alone to a screen that fell behind and had delta frames skipped.
 */
export interface VehicleFrame {
  time: number;
  /** Monotonic frame counter, per server process. */
  seq: number;
  vehicles: VehiclePatch[];
  full?: true;
  /** Vehicles the server forgot (never proven, or silent for good): screens drop them and their trails. */
  removed?: VehicleKey[];
  /**
   * Every vehicle the screens are sent, every few seconds: a screen drops any it holds that is not listed (it may have
   * missed the frame that removed it). One it does not hold comes whole with its refresh.
   */
  fleet?: VehicleKey[];
}

/**
 * The fields that change with every packet and that only a screen showing the vehicle's instruments draws: the
 * frames every screen gets leave them out after a vehicle's first appearance (they were two fifths of the bytes of
 * a fleet's frames), and a screen asks for them per vehicle ("vehicles:watch"). Snapshots and full frames carry them
 * as they are at that moment; they are current on a screen only for the vehicles it watches.
 */
export const DETAIL_FIELDS = ["attitude", "airSpeed", "lastUpdate"] as const satisfies readonly (keyof VehicleState)[];
export type DetailField = (typeof DETAIL_FIELDS)[number];

/** A watched vehicle's detail fields, as they are now (whole each time: they change with every packet anyway). */
export type VehicleDetail = Pick<VehicleState, "key" | DetailField>;

/** One per tick for the screens watching a vehicle that changed: encoded once per vehicle, for its watchers. */
export interface DetailFrame {
  time: number;
  vehicles: VehicleDetail[];
}

/** Which vehicles a screen draws the instruments of (the selected one, and a pilot's held ones). */
export interface WatchRequest {
  keys: VehicleKey[];
}

/** At most this many vehicles watched by one screen (a pilot holding a whole fleet, plus the selected one). */
export const WATCH_MAX = 16;

/** A frame whose vehicles are all whole: the replay namespace's (one reviewer per session, no bytes to save). */
export interface WholeVehicleFrame extends Omit<VehicleFrame, "vehicles"> {
  vehicles: VehicleState[];
}

export interface StatusTextEvent {
  key: VehicleKey;
  status: StatusText;
}

export interface LinkEvent {
  key: VehicleKey;
  state: "lost" | "regained";
  time: number;
  /** How long the vehicle was silent (ms) at the moment of the event: 0 on "regained" (a heartbeat just came). */
  heartbeatAgeMs: number;
  /** On "regained": how long the vehicle was silent, from its last heartbeat before the loss to this one (ms). */
  outageMs?: number;
}

/**
 * What happened to the vehicles, in the order it happened. Every screen gets these batched ("vehicles:events"), at
 * most every few tens of ms: when a link drops, 200 vehicles lost at once were 200 link events and 200 alerts,
 * each one message written to each of 100 screens.
 */
export type BatchedEvent =
  | { kind: "statustext"; event: StatusTextEvent }
  | { kind: "link"; event: LinkEvent }
  /** A vehicle's timeline: mode changes (commanded here or not), arming, mission complete. */
  | { kind: "vehicle"; event: VehicleEvent }
  /** An alert raised, updated, cleared or acknowledged (the whole alert each time; same id = same alert). */
  | { kind: "alert"; alert: Alert }
  /** Progress of a mission transfer with a vehicle. */
  | { kind: "missionProgress"; event: MissionProgressEvent };

/**
 * Part of the vehicles' trails, for a live screen that just got its snapshot. A fleet's trails whole were tens of
 * megabytes of JSON (200 vehicles of 2,000 points) and held the server's event loop for half a second: they now
 * come simplified to what can be drawn (no dropped point further than TRAIL_TOLERANCE_M from the line kept),
 * packed (PackedTrail), and in parts, each built and written in a few milliseconds, until one is `last`. A trail
 * replaces what the screen had of that vehicle up to the trail's last point; the screen keeps its own newer points.
 */
export interface TrailsPart {
  trails: Record<VehicleKey, PackedTrail>;
  /** The last part for this screen. */
  last?: true;
}

export interface ServerToClientEvents {
  "vehicles:snapshot": (snapshot: Snapshot) => void;
  /** After a live snapshot, the trails, in parts (see TrailsPart). */
  "vehicles:trails": (part: TrailsPart) => void;
  "vehicles:frame": (frame: VehicleFrame) => void;
  /** The detail fields of the vehicles this screen watches, when they changed (see DETAIL_FIELDS). */
  "vehicles:detail": (frame: DetailFrame) => void;
  /** Status texts, link changes, timeline events, alerts and mission transfer progress, in order (see BatchedEvent). */
  "vehicles:events": (events: BatchedEvent[]) => void;
  "links:status": (links: LinkStatus[]) => void;
  /** Who holds control of each vehicle (vehicles nobody holds are absent); sent on connect and on every change. */
  "control:state": (control: Record<VehicleKey, VehicleControl>) => void;
  /** The session ended (logout, expiry, user disabled, roles changed): the client returns to the login page. */
  "session:ended": (reason: string) => void;
  /** Progress of a command the vehicle reports as IN_PROGRESS (to the sender only). */
  "command:progress": (event: CommandProgressEvent) => void;
  /** What is now known to be on a vehicle, after an upload, a download, a clear or a failed transfer. */
  "mission:vehicle": (info: VehicleMissionInfo) => void;
  /** The open incidents with a place, whole, after any of them is created, edited, closed or reopened. */
  "incidents:open": (incidents: IncidentMarker[]) => void;
}

export interface ClientToServerEvents {
  /**
   * Anyone signed in: the vehicles whose detail this screen wants ("vehicles:detail"), replacing what it asked before;
   * an empty list stops them. Answered with the keys now watched.
   */
  "vehicles:watch": (req: WatchRequest, ack: (result: Result<WatchRequest>) => void) => void;
  /** Pilot: take control of a vehicle nobody holds. */
  "control:take": (req: VehicleRequest, ack: (result: Result<VehicleControl>) => void) => void;
  /** Pilot: release a vehicle one holds. */
  "control:release": (req: VehicleRequest, ack: (result: Result<VehicleControl>) => void) => void;
  /** Admin: take control from whoever holds it (recorded in the audit log). */
  "control:override": (req: VehicleRequest, ack: (result: Result<VehicleControl>) => void) => void;
  /** Holder only: a command to the vehicle; answered when the vehicle has answered (and, for mode/arm, shown it). */
  "vehicle:command": (req: VehicleCommandRequest, ack: (result: Result<CommandReply>) => void) => void;
  /** Holder only: upload mission, fence and rally points, then read them back and compare. */
  "mission:upload": (req: MissionUploadRequest, ack: (result: Result<MissionUploadReply>) => void) => void;
  /** Pilot: read mission, fence and rally points from a vehicle (changes nothing on it). */
  "mission:download": (req: VehicleRequest, ack: (result: Result<VehicleMissionInfo>) => void) => void;
  /** Holder only: clear mission, fence and rally points on a vehicle. */
  "mission:clear": (req: VehicleRequest, ack: (result: Result<VehicleMissionInfo>) => void) => void;
  /** Pilot: acknowledge an alert (recorded with the pilot's name). */
  "alert:ack": (req: AlertAckRequest, ack: (result: Result<Alert>) => void) => void;
}

export interface InterServerEvents {
  ping: () => void;
}

export interface SocketData {
  connectedAt: number;
  user: SessionUser;
  /** SHA-256 of the session token, to find the sockets of a session that ends. */
  sessionHash: string;
}

/** A vehicle key plus, for the admin's override, nothing else: requests name the vehicle they are about. */
export interface VehicleRequest {
  key: VehicleKey;
}
