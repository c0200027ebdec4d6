/**
 * The vehicle's parameters, as ArduCopter names them in 4.7 (MAV1_* stream rates, MAV_SYSID). Every value is a
 * float on the wire (MAV_PARAM_TYPE_REAL32); the list keeps ArduPilot's habit of answering nothing for a name it
 * does not know.
 */
import type { RawFields } from "../../server/mavlink";

export const MAV_PARAM_TYPE_REAL32 = 9;

/** The stream groups of REQUEST_DATA_STREAM and the MAV1_* parameter that remembers each rate. */
export const STREAM_PARAMS: ReadonlyMap<number, string> = new Map([
  [1, "MAV1_RAW_SENS"], [2, "MAV1_EXT_STAT"], [3, "MAV1_RC_CHAN"], [4, "MAV1_RAW_CTRL"], [6, "MAV1_POSITION"],
  [10, "MAV1_EXTRA1"], [11, "MAV1_EXTRA2"], [12, "MAV1_EXTRA3"],
]);

function defaults(sysid: number): [string, number][] {
  return [
    ["MAV_SYSID", sysid], ["MAV_GCS_SYSID", 255],
    ["MAV1_RAW_SENS", 0], ["MAV1_EXT_STAT", 0], ["MAV1_RC_CHAN", 0], ["MAV1_RAW_CTRL", 0], ["MAV1_POSITION", 0],
    ["MAV1_EXTRA1", 0], ["MAV1_EXTRA2", 0], ["MAV1_EXTRA3", 0], ["MAV1_PARAMS", 0], ["MAV1_ADSB", 0],
    ["WPNAV_SPEED", 1000], ["WPNAV_SPEED_UP", 250], ["WPNAV_SPEED_DN", 150], ["WPNAV_RADIUS", 200], ["WPNAV_ACCEL", 250],
    ["RTL_ALT", 1500], ["RTL_SPEED", 0], ["LAND_SPEED", 50], ["PILOT_SPEED_DN", 0],
    // Failsafe and fence defaults as the recorded SITL had them (firmware defaults + copter.parm).
    ["BATT_MONITOR", 4], ["BATT_CAPACITY", 5000], ["BATT_LOW_VOLT", 10.5], ["BATT_CRT_VOLT", 0],
    ["BATT_LOW_MAH", 0], ["BATT_CRT_MAH", 0], ["BATT_LOW_TIMER", 10], ["BATT_FS_LOW_ACT", 0], ["BATT_FS_CRT_ACT", 0],
    ["FS_GCS_ENABLE", 0], ["FS_GCS_TIMEOUT", 5], ["FS_OPTIONS", 16], ["FS_THR_ENABLE", 1], ["FS_EKF_ACTION", 1],
    ["FS_EKF_THRESH", 0.8], ["FENCE_ENABLE", 0], ["FENCE_TYPE", 7], ["FENCE_ACTION", 1], ["FENCE_RADIUS", 150],
    ["FENCE_ALT_MAX", 100], ["ARMING_CHECK", 1],
    ["DISARM_DELAY", 10], ["FRAME_CLASS", 1], ["FRAME_TYPE", 1],
  ];
}

export class ParamStore {
  private readonly values = new Map<string, number>();
  private readonly names: string[];

  constructor(sysid: number) {
    for (const [name, value] of defaults(sysid)) this.values.set(name, value);
    this.names = [...this.values.keys()];
  }

  get count(): number {
    return this.names.length;
  }

  /** The value, or the fallback when the name is unknown (callers pass the ArduPilot default). */
  get(name: string, fallback = 0): number {
    return this.values.get(name) ?? fallback;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Stores a known parameter; false (and nothing stored) for an unknown name. */
  set(name: string, value: number): boolean {
    if (!this.values.has(name)) return false;
    // On the wire it is a float32: store what a reader will get back.
    this.values.set(name, Math.fround(value));
    return true;
  }

  nameAt(index: number): string | null {
    return this.names[index] ?? null;
  }

  /** PARAM_VALUE fields for a parameter, or null if unknown. */
  valueFields(name: string): RawFields | null {
    const value = this.values.get(name);
    if (value === undefined) return null;
    return {
      param_id: name, param_value: value, param_type: MAV_PARAM_TYPE_REAL32,
      param_count: this.names.length, param_index: this.names.indexOf(name),
    };
  }
}
