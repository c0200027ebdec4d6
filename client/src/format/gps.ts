import type { Gps, GpsFix } from "../../../server/protocol";
import type { Level } from "./levels";
import { formatNumber } from "./number";

const FIX_LABELS: Record<GpsFix, string> = {
  none: "No GPS",
  no_fix: "No fix",
  "2d": "2D",
  "3d": "3D",
  dgps: "DGPS",
  rtk_float: "RTK float",
  rtk_fixed: "RTK fixed",
  static: "Static",
  ppp: "PPP",
};

/** HDOP above this is poor enough to doubt the position shown on the map. */
export const HDOP_POOR = 2;

export interface GpsDisplay {
  fix: string;
  satellites: string;
  hdop: string;
  level: Level;
}

export function gpsLevel(gps: Gps): Level {
  if (gps.fix === "none" || gps.fix === "no_fix") return "warning";
  if (gps.fix === "2d") return "caution";
  if (gps.hdop !== null && gps.hdop > HDOP_POOR) return "caution";
  return "ok";
}

export function formatGps(gps: Gps): GpsDisplay {
  return {
    fix: FIX_LABELS[gps.fix] ?? gps.fix,
    satellites: formatNumber(gps.satellites, 0),
    hdop: formatNumber(gps.hdop, 1),
    level: gpsLevel(gps),
  };
}
