import type { LinkStatus } from "./links";
import type { TrailPoint } from "./trail";
import type { StatusText, VehicleKey, VehicleState } from "./vehicle";

/** Everything the live map needs on connect. */
export interface Snapshot {
  /** Server time of the snapshot, ms since epoch. */
  time: number;
  vehicles: VehicleState[];
  links: LinkStatus[];
  /** Each vehicle's recent track, so a screen opened mid-flight shows where the drones have been. */
  trails: Record<VehicleKey, TrailPoint[]>;
}

/** One coalesced frame per tick holding every vehicle that changed since the previous frame. */
export interface VehicleFrame {
  time: number;
  /** Monotonic frame counter, per server process. */
  seq: number;
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
  /** How long the vehicle was silent (ms) at the moment of the event. */
  heartbeatAgeMs: number;
}

export interface ServerToClientEvents {
  "vehicles:snapshot": (snapshot: Snapshot) => void;
  "vehicles:frame": (frame: VehicleFrame) => void;
  "vehicle:statustext": (event: StatusTextEvent) => void;
  "vehicle:link": (event: LinkEvent) => void;
  "links:status": (links: LinkStatus[]) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no client requests yet; later features add them here
export interface ClientToServerEvents {}

export interface InterServerEvents {
  ping: () => void;
}

export interface SocketData {
  connectedAt: number;
}
