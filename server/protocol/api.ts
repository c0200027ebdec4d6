import type { LinkStatus } from "./links";
import type { VehicleState } from "./vehicle";

/** GET /api/health */
export interface HealthResponse {
  status: "ok";
  version: string;
  uptimeSeconds: number;
  vehicles: number;
  links: LinkStatus[];
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
