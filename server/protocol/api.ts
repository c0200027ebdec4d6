import type { LinkStatus } from "./links";
import type { Mission } from "./mission";
import type { VehicleState } from "./vehicle";

/** GET /api/health */
export interface HealthResponse {
  status: "ok";
  version: string;
  uptimeSeconds: number;
  vehicles: number;
  links: LinkStatus[];
  /** Reviewers' replay sessions open now. */
  replaySessions: number;
  /**
   * How late the event loop ran (the vehicles' HEARTBEATs and the screens' frames wait behind it): the last complete
   * minute, and the one under way.
   */
  eventLoop: { lastWindow: EventLoopDelay | null; current: EventLoopDelay };
  /** Screens that fell behind the frames (once per episode) and were sent a full frame to catch up, since start. */
  frames: { viewersBehind: number; resyncs: number };
  /**
   * Alerts are written to the database behind the rules: alert states waiting now (the database is slow or away),
   * dropped since start because too many waited, and timeline events not stored since start.
   */
  alertStore: { waiting: number; dropped: number; eventsNotStored: number };
  /**
   * Flights whose catalogue row waits for the database (a new row, statistics, a pilot or a seal): their files are
   * recorded meanwhile, and the rows written when it takes them again.
   */
  flightCatalogue: { waiting: number };
  /**
   * Several servers sharing Redis (--redis), or null for one server: the other servers heard from and their vehicles
   * on this server's screens, mirror messages refused, vehicles heard on this server and another (this server's state
   * is shown), the Redis connections, and vehicle messages not published while Redis was away. `requests`: pilots'
   * requests about a vehicle sent to the server that has its link (forwarded), run here for another server (served),
   * waiting for an answer now, failed (not sent, or no answer), and messages refused.
   */
  cluster: {
    servers: number; vehicles: number; refused: number; conflicts: number; redis: "ready" | "connecting" | "down"; notPublished: number;
    /** The vehicle mirror's messages published since start, and their bytes. */
    published: { messages: number; bytes: number };
    requests: { forwarded: number; served: number; pending: number; failed: number; refused: number };
    /** tcpout links configured on several servers: run here, stood by for, taken over from a server gone, let go. */
    links: { held: string[]; standby: string[]; takenOver: number; lost: number };
    /** Servers gone whose open flights this server sealed (a shared --files path), and those waiting to be sure. */
    succession: { succeeded: number; settling: number };
  } | null;
}

/** Event-loop delay over a window: how long a timer due now waits (ms; the sampling resolution is 10 ms). */
export interface EventLoopDelay {
  windowSeconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** GET /api/vehicles */
export interface VehiclesResponse {
  time: number;
  vehicles: VehicleState[];
}

/** GET /api/config: what the web client needs before it connects. */
export interface ClientConfig {
  /** Leaflet tile URL template ({z}/{x}/{y}), or null for no base map (vehicles, trails and scale still show). */
  tileUrl: string | null;
  tileAttribution: string;
  /** Frame period of the live stream, ms. */
  tickMs: number;
  /** A vehicle is shown as lost after this long without a HEARTBEAT, ms. */
  lostAfterMs: number;
  version: string;
}

/** POST /api/missions/import: a mission file's text, parsed by the server (one parser for every client). */
export interface MissionImportRequest {
  fileName: string;
  text: string;
}

export type MissionFileFormat = "plan" | "waypoints";

export interface MissionImportResponse {
  format: MissionFileFormat;
  mission: Mission;
}

/** POST /api/missions/export: the file to save, and what the format could not hold. */
export interface MissionExportRequest {
  plan: Mission;
  format: MissionFileFormat;
  /** The file name without extension (default "mission"). */
  name?: string;
}

export interface MissionExportResponse {
  fileName: string;
  mediaType: string;
  text: string;
  /** E.g. "a .waypoints file holds no geofence: 2 fence shapes were left out". */
  warnings: string[];
}
