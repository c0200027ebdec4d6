import type { ChartSeriesName } from "../../../../../server/protocol";

/** One line of a chart (per flight): which series, how it is named, on which y scale. */
export interface ChartLineDef {
  series: ChartSeriesName;
  label: string;
  /** Lines on a second scale get an axis on the right (e.g. HDOP beside the satellites). */
  scale?: string;
}

export interface ChartDef {
  id: string;
  title: string;
  /** Unit of the first (left) scale, and of the second when there is one. */
  unit: string;
  unit2?: string;
  /** Fit the left scale to the data instead of reaching down to zero (a battery's volts live near 12, not 0). */
  tight?: boolean;
  lines: ChartLineDef[];
}

/**
 * The charts of the replay, in the order a reviewer reads a flight: where it was, how fast, its power, its GPS,
 * its link, then the health signals an investigator looks at after something went wrong. A chart whose series the
 * flights' files lack (RADIO_STATUS on a TCP link) is left out.
 */
export const CHARTS: readonly ChartDef[] = [
  { id: "altitude", title: "Altitude", unit: "m", lines: [
    { series: "altRelative", label: "above home" }, { series: "altAmsl", label: "AMSL" },
  ] },
  { id: "speed", title: "Speed", unit: "m/s", lines: [
    { series: "groundSpeed", label: "ground" }, { series: "climb", label: "climb" },
  ] },
  { id: "voltage", title: "Battery voltage", unit: "V", tight: true, lines: [{ series: "voltage", label: "voltage" }] },
  { id: "current", title: "Battery current and remaining", unit: "A", unit2: "%", lines: [
    { series: "current", label: "current" }, { series: "remaining", label: "remaining", scale: "pct" },
  ] },
  { id: "gps", title: "GPS", unit: "satellites", unit2: "HDOP", lines: [
    { series: "satellites", label: "satellites" }, { series: "hdop", label: "HDOP", scale: "hdop" },
  ] },
  { id: "link", title: "Link quality", unit: "% lost", unit2: "RSSI", lines: [
    { series: "packetLoss", label: "packet loss" },
    { series: "rssi", label: "RSSI", scale: "rssi" }, { series: "remRssi", label: "remote RSSI", scale: "rssi" },
  ] },
  { id: "vibration", title: "Vibration", unit: "m/s²", unit2: "clips", lines: [
    { series: "vibeX", label: "X" }, { series: "vibeY", label: "Y" }, { series: "vibeZ", label: "Z" },
    { series: "clipping", label: "clipping", scale: "clip" },
  ] },
  { id: "ekf", title: "EKF variances", unit: "test ratio", lines: [
    { series: "ekfVelocity", label: "velocity" }, { series: "ekfPosHoriz", label: "position horiz." },
    { series: "ekfPosVert", label: "position vert." }, { series: "ekfCompass", label: "compass" },
    { series: "ekfTerrain", label: "terrain" },
  ] },
];
