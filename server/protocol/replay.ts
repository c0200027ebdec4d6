/**
 * Replay: a reviewer watches recorded flights again through the same pipeline as live (decoder, state reducer,
 * alert engine, frames), on a virtual clock. One replay session per Socket.IO connection on the "/replay"
 * namespace: the server sends it the live events ("vehicles:snapshot", "vehicles:frame", "vehicle:statustext",
 * "vehicle:link", "vehicle:event", "alert") for the replayed vehicles only, plus "replay:state", so the client
 * feeds them into a store of its own and the live panels show them unchanged.
 */
import type { Alert, VehicleEvent } from "./alerts";
import type { Result } from "./result";
import type { IntegrityState } from "./flights";
import type { Snapshot, StatusTextEvent, LinkEvent, WholeVehicleFrame } from "./realtime";
import type { VehicleMissionInfo } from "./commands";
import type { Severity, VehicleKey } from "./vehicle";

/** Playback speeds offered; "max" plays as fast as the server can (still in order, still every packet). */
export const REPLAY_SPEEDS = [0.1, 0.25, 0.5, 1, 2, 4, 8, 16] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number] | "max";

/** Flights replayed together: at most this many in one session. */
export const REPLAY_MAX_FLIGHTS = 8;

export interface ReplayOpenRequest {
  /** Catalogue ids, 1 to REPLAY_MAX_FLIGHTS. */
  flights: number[];
  /** Where to start, UTC ms since epoch (the deep link's `t`); the earliest start when absent. */
  at?: number;
  /**
   * Compare flights from different days: each flight is shifted so its take-off (its arming when it never took
   * off) falls at the first flight's take-off. The replay clock is then the first flight's.
   */
  alignTakeoff?: boolean;
}

/** One flight in a session, as the reviewer's timeline shows it. */
export interface ReplayFlight {
  id: number;
  vehicle: VehicleKey;
  /** Vehicle type and name as in the catalogue ("copter"). */
  vehicleType: string;
  /** The flight's own record times, UTC ms. */
  startedAt: number;
  endedAt: number;
  /** Added to the flight's times to place it on the session clock (non-zero only with alignTakeoff). */
  shiftMs: number;
  /** The file's state when the session opened: a missing or altered file opens with a warning, never silently. */
  integrity: IntegrityState;
  sha256: string | null;
}

/** What a mark on the timeline stands for. */
export type ReplayMarkKind =
  | "armed" | "disarmed" | "takeoff" | "landing" | "mode" | "alert" | "message" | "mission_item" | "link_gap"
  | "bookmark" | "damaged";

export interface ReplayMark {
  /** Session clock, UTC ms. */
  time: number;
  /** For ranges (a link gap, a damaged span, a range bookmark): where it ends. */
  end?: number;
  vehicle: VehicleKey;
  kind: ReplayMarkKind;
  /** Shown on hover: "GUIDED → RTL (not commanded)", "Battery failsafe", "Reached item 3"... */
  text: string;
  /** For messages and alerts: how serious. */
  severity?: Severity;
  /** Mode changes nobody commanded from the ground station stand out. */
  uncommanded?: boolean;
  /** For bookmarks: its id. */
  bookmarkId?: number;
}

export interface ReplayInfo {
  /** The session clock's span, UTC ms. */
  start: number;
  end: number;
  flights: ReplayFlight[];
  /** Everything the timeline shows, in time order. Derived from the files (and the bookmarks), never stored in them. */
  marks: ReplayMark[];
  /** Problems the reviewer must see before trusting what plays: "flight 12: file altered (SHA-256 differs from its seal)". */
  warnings: string[];
}

export interface ReplayState {
  playing: boolean;
  speed: ReplaySpeed;
  /** The session clock now, UTC ms. */
  time: number;
  /** Each vehicle's own clock at that moment (its time_boot_ms, ms), where known: shown in the replay banner. */
  vehicleTime: Record<VehicleKey, number>;
  /** The loop range (L), if set. */
  loop: { from: number; to: number } | null;
  /** True once the end is reached (and not looping). */
  ended: boolean;
}

export type ReplayControl =
  | { action: "play" }
  | { action: "pause" }
  | { action: "speed"; speed: ReplaySpeed }
  /** Jump to a moment (UTC ms, clamped to the span); the state after a seek is the state after playing to it. */
  | { action: "seek"; time: number }
  | { action: "loop"; range: { from: number; to: number } | null };

/** Events of the "/replay" namespace, server to browser. The live ones carry the replayed vehicles only. */
export interface ReplayServerEvents {
  "vehicles:snapshot": (snapshot: Snapshot) => void;
  "vehicles:frame": (frame: WholeVehicleFrame) => void;
  "vehicle:statustext": (event: StatusTextEvent) => void;
  "vehicle:link": (event: LinkEvent) => void;
  "vehicle:event": (event: VehicleEvent) => void;
  "alert": (alert: Alert) => void;
  /** What a replayed vehicle holds from this moment, as the recording's mission transfers show (read-only). */
  "mission:vehicle": (info: VehicleMissionInfo) => void;
  /** After every control and at most 4 times a second while playing. */
  "replay:state": (state: ReplayState) => void;
  /** The session was closed by the server (the user's session ended, the file vanished). */
  "replay:closed": (reason: string) => void;
}

export interface ReplayClientEvents {
  /** Opens (or replaces) this connection's session; answered with what the timeline needs. */
  "replay:open": (req: ReplayOpenRequest, ack: (result: Result<ReplayInfo>) => void) => void;
  "replay:control": (req: ReplayControl, ack: (result: Result<ReplayState>) => void) => void;
}

/** A reviewer's mark on a flight: a moment or a range with a note. Never changes the recording. */
export interface Bookmark {
  id: number;
  flightId: number;
  /** UTC ms on the flight's own clock. */
  time: number;
  /** For a range. */
  end: number | null;
  note: string;
  author: string;
  createdAt: number;
}

export interface BookmarkCreateRequest {
  time: number;
  end?: number | null;
  note: string;
}

export interface BookmarksResponse {
  bookmarks: Bookmark[];
}
