/**
 * Messages only the flight review charts read (the live state never needs them): vibration, the EKF's variances
 * and the telemetry radio's signal. Decoded to SI units or plain numbers here, so raw MAVLink stays in this folder.
 */
import { messageClass, num } from "./fields";
import type { PayloadView } from "./fields";
import { MSG_ID } from "./ids";
import type { Frame } from "./types";

const VIBRATION_ID = 241;
const RADIO_STATUS_ID = 109;
/** RADIO_STATUS rssi/remrssi: 255 = invalid/unknown. */
const RSSI_UNKNOWN = 255;

export type ChartMessage =
  /** Accelerometer vibration levels, m/s/s; clipping: events since boot, all accelerometers together. */
  | { kind: "vibration"; x: number; y: number; z: number; clipping: number }
  /** EKF innovation test ratios (0..1 good, above 1 rejected), as EKF_STATUS_REPORT names them "variances". */
  | { kind: "ekfVariances"; velocity: number; posHoriz: number; posVert: number; compass: number; terrainAlt: number }
  /** Signal strength in the radio's own units (0..254, SiK: about 1.9 per dB), null when unknown. */
  | { kind: "radioStatus"; rssi: number | null; remRssi: number | null; rxErrors: number; fixed: number };

type ChartDecoder = (p: PayloadView) => ChartMessage;

function vibration(): ChartDecoder {
  const c = messageClass(VIBRATION_ID, "VIBRATION");
  const x = num(c, "vibration_x"), y = num(c, "vibration_y"), z = num(c, "vibration_z");
  const c0 = num(c, "clipping_0"), c1 = num(c, "clipping_1"), c2 = num(c, "clipping_2");
  return (p) => ({ kind: "vibration", x: x(p), y: y(p), z: z(p), clipping: c0(p) + c1(p) + c2(p) });
}

function ekfVariances(): ChartDecoder {
  const c = messageClass(MSG_ID.EKF_STATUS_REPORT, "EKF_STATUS_REPORT");
  const vel = num(c, "velocity_variance"), horiz = num(c, "pos_horiz_variance"), vert = num(c, "pos_vert_variance");
  const compass = num(c, "compass_variance"), terrain = num(c, "terrain_alt_variance");
  return (p) => ({
    kind: "ekfVariances", velocity: vel(p), posHoriz: horiz(p), posVert: vert(p), compass: compass(p), terrainAlt: terrain(p),
  });
}

function radioStatus(): ChartDecoder {
  const c = messageClass(RADIO_STATUS_ID, "RADIO_STATUS");
  const rssi = num(c, "rssi"), rem = num(c, "remrssi"), rxErrors = num(c, "rxerrors"), fixed = num(c, "fixed");
  const known = (v: number) => (v === RSSI_UNKNOWN ? null : v);
  return (p) => ({ kind: "radioStatus", rssi: known(rssi(p)), remRssi: known(rem(p)), rxErrors: rxErrors(p), fixed: fixed(p) });
}

const DECODERS: ReadonlyMap<number, ChartDecoder> = new Map([
  [VIBRATION_ID, vibration()],
  [MSG_ID.EKF_STATUS_REPORT, ekfVariances()],
  [RADIO_STATUS_ID, radioStatus()],
]);

/** The chart reading of a frame, or null for every other message (its payload is not touched). */
export function decodeChartFrame(frame: Frame): ChartMessage | null {
  const decode = DECODERS.get(frame.msgid);
  return decode ? decode(frame) : null;
}
