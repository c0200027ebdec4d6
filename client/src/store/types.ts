import type {
  Alert,
  VehicleEvent,
  ClientConfig,
  CommandProgressEvent,
  IncidentMarker,
  MissionProgressEvent,
  VehicleMissionInfo,
  LinkEvent,
  LinkStatus,
  SessionUser,
  Severity,
  Snapshot,
  StatusTextEvent,
  VehicleFrame,
  DetailFrame,
  VehicleControl,
  VehicleKey,
  VehicleState,
} from "../../../server/protocol";

/**
 * Who is signed in. "checking" until GET /api/auth/me answered; `reason` says why a session ended
 * (shown on the login page), null after a plain sign-out or before the first login.
 */
export interface AuthState {
  status: "checking" | "signed_out" | "signed_in";
  user: SessionUser | null;
  reason: string | null;
}

/** What the main area shows besides the live map. */
export type View = "map" | "admin" | "flights";

/** State of the Socket.IO connection as the UI shows it. */
export type ConnectionState =
  | { status: "connecting" }
  | { status: "connected"; since: number }
  | { status: "disconnected"; reason: string; since: number; willReconnect: boolean };

import type { TrailPoint } from "../../../server/protocol";
export type { TrailPoint };

/** One line of the alerts strip: a STATUSTEXT or a link event, already worded for display. */
export interface AlertEntry {
  /** Unique within this store, for React keys. */
  id: number;
  /** Server time, ms. */
  time: number;
  key: VehicleKey;
  severity: Severity;
  text: string;
  source: "statustext" | "link";
}

/**
 * Everything the connection layer hands to the store, tagged so one reducer can fold a batch in order.
 * `receivedAt` is the client clock when the event arrived (not when it was applied), so clock-offset
 * estimates are not skewed by the animation-frame delay.
 */
export type LiveEvent =
  | { kind: "snapshot"; snapshot: Snapshot; receivedAt: number }
  /** Trails the server sent after a live snapshot (unpacked from "vehicles:trails"). */
  | { kind: "trails"; trails: Record<VehicleKey, TrailPoint[]> }
  | { kind: "frame"; frame: VehicleFrame; receivedAt: number }
  | { kind: "detail"; frame: DetailFrame }
  | { kind: "statustext"; event: StatusTextEvent; receivedAt: number }
  | { kind: "link"; event: LinkEvent; receivedAt: number }
  | { kind: "vehicleEvent"; event: VehicleEvent }
  | { kind: "links"; links: LinkStatus[]; receivedAt: number }
  | { kind: "control"; control: Record<VehicleKey, VehicleControl> }
  | { kind: "alert"; alert: Alert }
  | { kind: "missionVehicle"; info: VehicleMissionInfo }
  | { kind: "missionProgress"; event: MissionProgressEvent }
  | { kind: "commandProgress"; event: CommandProgressEvent }
  | { kind: "incidents"; incidents: IncidentMarker[] }
  | { kind: "connection"; connection: ConnectionState };

export interface AppData {
  auth: AuthState;
  view: View;
  /** Holder of each vehicle held by someone (vehicles nobody holds are absent). */
  control: Readonly<Record<VehicleKey, VehicleControl>>;
  config: ClientConfig;
  /** False until GET /api/config answered; the defaults are used meanwhile. */
  configLoaded: boolean;
  connection: ConnectionState;
  vehicles: Readonly<Record<VehicleKey, VehicleState>>;
  trails: Readonly<Record<VehicleKey, readonly TrailPoint[]>>;
  /** Newest first, bounded. */
  alerts: readonly AlertEntry[];
  /** Newest first, bounded. */
  linkEvents: readonly LinkEvent[];
  /** Vehicle timeline events (mode changes, arming, mission complete), newest first, bounded. */
  vehicleEvents: readonly VehicleEvent[];
  links: readonly LinkStatus[];
  selectedKey: VehicleKey | null;
  follow: boolean;
  /** serverTime - clientTime, from the last snapshot/frame: lets the UI age heartbeats on the server clock. */
  clockOffsetMs: number;
  lastFrameSeq: number | null;
  nextAlertId: number;
  /** Server-side alerts (rules with episodes and acknowledgement), newest first, bounded. */
  serverAlerts: readonly Alert[];
  /** What is verified on each vehicle (missions uploaded or downloaded). */
  missions: Readonly<Record<VehicleKey, VehicleMissionInfo>>;
  /** The latest mission transfer progress per vehicle. */
  missionProgress: Readonly<Record<VehicleKey, MissionProgressEvent>>;
  /** The latest IN_PROGRESS report of this user's commands per vehicle. */
  commandProgress: Readonly<Record<VehicleKey, CommandProgressEvent>>;
  /** Open incidents with a place, for the live map: the whole list, replaced by each snapshot or "incidents:open". */
  incidents: readonly IncidentMarker[];
}

export interface AppActions {
  /** Folds a batch of live events in order (the connection layer calls this at most once per animation frame). */
  applyEvents(events: readonly LiveEvent[]): void;
  setConfig(config: ClientConfig): void;
  select(key: VehicleKey | null): void;
  setFollow(follow: boolean): void;
  /** Empties every trail (the only way trails shrink, besides their bound and reset). */
  clearTrails(): void;
  /** Forgets vehicles, trails, alerts and selection; keeps config and connection. */
  reset(): void;
  checkingAuth(): void;
  signedIn(user: SessionUser): void;
  /** Back to the login page; `reason` (why the session ended) is shown there. Forgets the live data. */
  signedOut(reason: string | null): void;
  setView(view: View): void;
}

export type AppState = AppData & AppActions;
