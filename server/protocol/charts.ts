/**
 * The flight review charts (GET /api/flights/:id/charts): every chart's series read from the flight's .tlog,
 * downsampled to at most CHART_MAX_POINTS points per series, keeping each stretch's lowest and highest value so a
 * peak (the highest altitude, a vibration spike) is never smoothed away.
 */
import type { VehicleKey } from "./vehicle";

/** Points per series at most (two per time bucket: its minimum and its maximum, in time order). */
export const CHART_MAX_POINTS = 2000;

/** Every series a chart can show, with its unit; a file without the message behind one has none of it. */
export const CHART_SERIES_UNITS = {
  /** GLOBAL_POSITION_INT */
  altRelative: "m", altAmsl: "m", groundSpeed: "m/s", climb: "m/s",
  /** SYS_STATUS */
  voltage: "V", current: "A", remaining: "%",
  /** GPS_RAW_INT */
  satellites: "", hdop: "",
  /** From the vehicle's sequence numbers, per second. */
  packetLoss: "%",
  /** RADIO_STATUS, the radio's own units (0..254). */
  rssi: "", remRssi: "",
  /** VIBRATION */
  vibeX: "m/s²", vibeY: "m/s²", vibeZ: "m/s²", clipping: "",
  /** EKF_STATUS_REPORT test ratios. */
  ekfVelocity: "", ekfPosHoriz: "", ekfPosVert: "", ekfCompass: "", ekfTerrain: "",
} as const;

export type ChartSeriesName = keyof typeof CHART_SERIES_UNITS;
export const CHART_SERIES = Object.keys(CHART_SERIES_UNITS) as ChartSeriesName[];

/** One series: `t[i]` ms after the answer's t0, value `v[i]`. */
export interface ChartSeries {
  t: number[];
  v: number[];
}

export interface FlightChartsResponse {
  flightId: number;
  vehicle: VehicleKey;
  /** UTC ms since the epoch; every series' times count from it. */
  t0: number;
  series: Partial<Record<ChartSeriesName, ChartSeries>>;
  /** Entries of the file read for the flight's vehicle. */
  entries: number;
  maxPoints: number;
}
