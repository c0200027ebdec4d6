/**
 * How ArduPilot stores a mission item, and so what it reports back on download: AP_Mission keeps a packed 15-byte
 * Mission_Command, not the MAVLink item, so params lose precision, direction flags replace radii and unknown params
 * become 0. Both ends use this one table: the ground station to compare a read-back by what the vehicle can hold,
 * the simulator to store items as ArduPilot does (so it cannot hide a difference again).
 *
 * Source (ArduPilot master, libraries/AP_Mission/): AP_Mission.cpp mavlink_int_to_mission_cmd() (MAVLink -> stored),
 * mission_cmd_to_mavlink_int() (stored -> MAVLink), sanity_check_params() (NaN), stored_in_location(); the field
 * types are the Mission_Command content structs in AP_Mission.h. Copter build (APM_BUILD_ArduPlane is false).
 * Pure functions: the client may use them too. Params are numbers with NaN for "unset".
 */

export type Params4 = [number, number, number, number];

/** One command's storage: what comes back for the params sent (all four, NaN where unset). */
export interface StorageRule {
  name: string;
  /** The params as a download reports them. */
  stored(p: Readonly<Params4>): Params4;
  /** Where in AP_Mission.cpp / AP_Mission.h the rule comes from. */
  source: string;
}

const f32 = Math.fround;
/** C's float -> integer conversion of an out-of-range value is undefined; ArduPilot on x86/ARM wraps. */
const wrap = (v: number, bits: number, signed: boolean): number => {
  if (!Number.isFinite(v)) return 0;
  const m = 2 ** bits;
  const u = ((Math.trunc(v) % m) + m) % m;
  return signed && u >= m / 2 ? u - m : u;
};
const u8 = (v: number): number => wrap(v, 8, false);
const i8 = (v: number): number => wrap(v, 8, true);
const u16 = (v: number): number => wrap(v, 16, false);
const i16 = (v: number): number => wrap(v, 16, true);
/** A float field: NaN is kept by the struct, but sanity_check_params lets NaN through only where listed below. */
const fl = (v: number): number => f32(v);

const SRC = "AP_Mission.cpp mavlink_int_to_mission_cmd / mission_cmd_to_mavlink_int";

/** Loiter radius in the high byte of p1; over 255 m stored /10 with type_specific_bits (LOITER_TURNS only). */
function loiterTurnsRadius(p3: number): number {
  const abs = Math.abs(p3);
  const r = abs <= 255 ? u8(abs) : Math.min(255, u8(Math.min(255, abs * 0.1))) * 10;
  return p3 < 0 ? -r : r;
}

const RULES: ReadonlyMap<number, StorageRule> = new Map<number, StorageRule>([
  [16, { name: "NAV_WAYPOINT", stored: (p) => [u16(p[0]), 0, 0, 0],
    source: `${SRC}: Copter keeps only the hold time, cmd.p1 (uint16 seconds); radius, pass-by and yaw are dropped` }],
  [17, { name: "NAV_LOITER_UNLIM", stored: (p) => [0, 0, (p[2] < 0 ? -1 : 1) * u16(Math.abs(p[2])), 0],
    source: `${SRC}: p1 = fabsf(param3) (uint16), loiter_ccw = param3 < 0` }],
  [18, { name: "NAV_LOITER_TURNS", stored: (p) => [u8(Math.min(255, p[0])), 0, loiterTurnsRadius(p[2]), p[3] > 0 ? 1 : 0],
    source: `${SRC}: turns MIN(255, param1) in LOWBYTE(p1), radius in HIGHBYTE(p1) (/10 over 255 m), loiter_ccw, loiter_xtrack = param4 > 0` }],
  [19, { name: "NAV_LOITER_TIME", stored: (p) => [u16(p[0]), 0, p[2] < 0 ? -1 : 1, p[3] > 0 ? 1 : 0],
    source: `${SRC}: p1 = param1 (uint16 s); only the direction of param3 is kept (loiter_ccw) and reported as -1 or +1; loiter_xtrack = param4 > 0` }],
  [20, { name: "NAV_RETURN_TO_LAUNCH", stored: () => [0, 0, 0, 0], source: `${SRC}: no params, no location` }],
  [21, { name: "NAV_LAND", stored: (p) => [u16(p[0]), 0, 0, p[3] < 0 ? -1 : 1],
    source: `${SRC}: p1 = param1 (uint16); param4 kept as loiter_ccw (is_negative, NaN -> false) and reported as -1 or +1` }],
  [22, { name: "NAV_TAKEOFF", stored: (p) => [u16(p[0]), 0, 0, 0],
    source: `${SRC}: p1 = param1 (uint16, minimum pitch); yaw (param4) is dropped` }],
  [82, { name: "NAV_SPLINE_WAYPOINT", stored: (p) => [u16(p[0]), 0, 0, 0], source: `${SRC}: p1 = param1 (uint16 s)` }],
  [93, { name: "NAV_DELAY", stored: (p) => [fl(p[0]), i8(p[1]), i8(p[2]), i8(p[3])],
    source: `${SRC}; AP_Mission.h Navigation_Delay_Command { float seconds; int8_t hour_utc, min_utc, sec_utc }` }],
  [112, { name: "CONDITION_DELAY", stored: (p) => [fl(p[0]), 0, 0, 0],
    source: `${SRC}; AP_Mission.h Conditional_Delay_Command { float seconds }` }],
  [114, { name: "CONDITION_DISTANCE", stored: (p) => [fl(p[0]), 0, 0, 0],
    source: `${SRC}; AP_Mission.h Conditional_Distance_Command { float meters }` }],
  [115, { name: "CONDITION_YAW", stored: (p) => [fl(p[0]), fl(p[1]), i8(p[2]), u8(p[3])],
    source: `${SRC}; AP_Mission.h Yaw_Command { float angle_deg, turn_rate_dps; int8_t direction; uint8_t relative_angle }` }],
  [177, { name: "DO_JUMP", stored: (p) => [u16(p[0]), i16(p[1]), 0, 0],
    source: `${SRC}; AP_Mission.h Jump_Command { uint16_t target; int16_t num_times }` }],
  [178, { name: "DO_CHANGE_SPEED", stored: (p) => [u8(p[0]), fl(p[1]), fl(p[2]), 0],
    source: `${SRC}; AP_Mission.h Change_Speed_Command { uint8_t speed_type; float target_ms, throttle_pct }` }],
  [179, { name: "DO_SET_HOME", stored: (p) => [u16(p[0]), 0, 0, 0], source: `${SRC}: p1 = param1 (uint16)` }],
  [183, { name: "DO_SET_SERVO", stored: (p) => [u8(p[0]), u16(p[1]), 0, 0],
    source: `${SRC}; AP_Mission.h Set_Servo_Command { uint8_t channel; uint16_t pwm }` }],
  [189, { name: "DO_LAND_START", stored: () => [0, 0, 0, 0], source: `${SRC}: no params` }],
  [201, { name: "DO_SET_ROI", stored: (p) => [u16(p[0]), 0, 0, 0], source: `${SRC}: p1 = param1 (uint16, ROI mode)` }],
  [205, { name: "DO_MOUNT_CONTROL", stored: (p) => [fl(p[0]), fl(p[1]), fl(p[2]), 0],
    source: `${SRC}; AP_Mission.h Mount_Control { float pitch, roll, yaw }` }],
  [206, { name: "DO_SET_CAM_TRIGG_DIST", stored: (p) => [fl(p[0]), 0, u8(p[2]), 0],
    source: `${SRC}; AP_Mission.h Cam_Trigg_Distance { float meters; uint8_t trigger }` }],
  [207, { name: "DO_FENCE_ENABLE", stored: (p) => [u16(p[0]), 0, 0, 0], source: `${SRC}: p1 = param1 (uint16)` }],
]);

/** The storage rule of a command, or undefined when the table does not know it (then params are kept as float32). */
export function storageRule(command: number): StorageRule | undefined {
  return RULES.get(command);
}

/**
 * Commands whose x/y/z ArduPilot keeps as a Location (AP_Mission::stored_in_location): WAYPOINT, LOITER_*, LAND,
 * TAKEOFF, CONTINUE_AND_CHANGE_ALT, LOITER_TO_ALT, SPLINE_WAYPOINT, GUIDED_ENABLE, DO_SET_HOME, DO_LAND_START,
 * DO_GO_AROUND, DO_SET_ROI, VTOL_TAKEOFF, VTOL_LAND, PAYLOAD_PLACE. The rest report x = y = z = 0 in frame 0.
 */
const LOCATED: ReadonlySet<number> = new Set([16, 17, 18, 19, 21, 22, 30, 31, 82, 92, 179, 189, 191, 201, 84, 85, 94]);

export function storesLocation(command: number): boolean {
  return LOCATED.has(command);
}

/**
 * Which params may be NaN (AP_Mission::sanity_check_params): param4 of WAYPOINT, LAND, TAKEOFF and VTOL_TAKEOFF,
 * params 3 and 4 of VTOL_LAND. Any other NaN, and any infinity, is refused with MAV_MISSION_INVALID_PARAMn.
 */
const NAN_ALLOWED: ReadonlyMap<number, readonly number[]> = new Map([
  [16, [3]], [21, [3]], [22, [3]], [84, [3]], [85, [2, 3]],
]);

export function nanAccepted(command: number, index: number): boolean {
  return NAN_ALLOWED.get(command)?.includes(index) ?? false;
}

/** The 1-based param ArduPilot refuses (its MISSION_ACK is INVALID_PARAM1 + n - 1), or null when it accepts them. */
export function refusedParam(command: number, params: Readonly<Params4>): 1 | 2 | 3 | 4 | null {
  for (let k = 0; k < 4; k++) {
    const v = params[k]!;
    if ((Number.isNaN(v) && !nanAccepted(command, k)) || v === Infinity || v === -Infinity) return (k + 1) as 1 | 2 | 3 | 4;
  }
  return null;
}

/** Params to send for a planned item: unset (null) as NaN where ArduPilot accepts NaN, 0 elsewhere. */
export function paramsToSend(command: number, params: readonly (number | null)[]): Params4 {
  return [0, 1, 2, 3].map((k) => {
    const v = params[k] ?? null;
    if (v !== null && !Number.isNaN(v)) return v;
    return nanAccepted(command, k) ? Number.NaN : 0;
  }) as Params4;
}

/** The params a download reports for an item sent with `params` (NaN = unset). */
export function storedParams(command: number, params: Readonly<Params4>): Params4 {
  const rule = RULES.get(command);
  if (rule) return rule.stored(params);
  return params.map((v) => f32(v)) as Params4;
}

/** MAV_FRAME reported for a stored item: GLOBAL_RELATIVE_ALT (3), GLOBAL_TERRAIN_ALT (10) or GLOBAL (0). */
export function storedFrame(command: number, frame: number): number {
  if (!LOCATED.has(command)) return 0;
  if (frame === 3 || frame === 6) return 3;
  if (frame === 10 || frame === 11) return 10;
  return 0;
}

/** Frames mavlink_int_to_mission_cmd takes for a located item; any other is MAV_MISSION_UNSUPPORTED_FRAME. */
export function frameAccepted(command: number, frame: number): boolean {
  return !LOCATED.has(command) || [0, 2, 3, 5, 6, 10, 11].includes(frame);
}

/** Location.alt is int32 centimetres: `alt = packet.z * 100.0f` truncates, the download reports `alt * 0.01f`. */
export function storedAltitude(z: number): number {
  return f32(Math.trunc(f32(f32(z) * 100)) * f32(0.01));
}
