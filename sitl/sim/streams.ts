/**
 * Which messages go out, how often. ArduPilot sends nothing but HEARTBEAT (and a few unasked messages) until a
 * ground station asks: per stream group with REQUEST_DATA_STREAM, or per message with SET_MESSAGE_INTERVAL,
 * which wins over the group rate. Sends are scheduled by due time (next = previous due + interval), so a tick
 * period that does not divide the interval still gives the exact rate on average.
 */
import { messageId } from "../../server/mavlink";

/** MAV_DATA_STREAM groups as ArduCopter fills them (GCS_MAVLink_Copter.cpp), limited to what we simulate. */
export const STREAM_GROUPS: ReadonlyMap<number, readonly string[]> = new Map([
  [1, ["RAW_IMU", "SCALED_PRESSURE"]],
  [2, ["SYS_STATUS", "POWER_STATUS", "MEMINFO", "MISSION_CURRENT", "GPS_RAW_INT", "NAV_CONTROLLER_OUTPUT",
    "FENCE_STATUS"]],
  [3, ["SERVO_OUTPUT_RAW", "RC_CHANNELS"]],
  [4, []],
  [6, ["GLOBAL_POSITION_INT", "LOCAL_POSITION_NED"]],
  [10, ["ATTITUDE"]],
  [11, ["VFR_HUD"]],
  [12, ["AHRS", "SYSTEM_TIME", "WIND", "BATTERY_STATUS", "EKF_STATUS_REPORT", "VIBRATION"]],
]);

export const MAV_DATA_STREAM_ALL = 0;
const HEARTBEAT_ID = 0;
const HEARTBEAT_INTERVAL_MS = 1000;

/**
 * ArduPilot messages in no stream group that SET_MESSAGE_INTERVAL may still turn on: they have an ap_message
 * (GCS_MAVLINK::mavlink_id_to_ap_message_id: MSG_HOME, MSG_ORIGIN). Any other id is DENIED, with the text
 * "No ap_message for mavlink id (N)".
 */
const ALSO_STREAMABLE = ["HOME_POSITION", "GPS_GLOBAL_ORIGIN"];

/** Message ids SET_MESSAGE_INTERVAL may turn on: every stream group's, the heartbeat, and the above. */
export const STREAMABLE: ReadonlySet<number> = new Set(
  [...STREAM_GROUPS.values()].flat().concat(ALSO_STREAMABLE).map((name) => messageId(name)).concat(HEARTBEAT_ID),
);

export class StreamScheduler {
  /** Interval per message from its stream group's rate, ms. */
  private readonly groupInterval = new Map<number, number>();
  /** SET_MESSAGE_INTERVAL overrides, ms; -1 = off. */
  private readonly override = new Map<number, number>();
  private readonly nextDue = new Map<number, number>();

  constructor() {
    this.reset();
  }

  /** Back to a fresh boot: only HEARTBEAT. */
  reset(): void {
    this.groupInterval.clear();
    this.override.clear();
    this.nextDue.clear();
    this.groupInterval.set(HEARTBEAT_ID, HEARTBEAT_INTERVAL_MS);
  }

  /** REQUEST_DATA_STREAM; returns the stream ids it changed (for the MAV1_* parameters). */
  requestDataStream(streamId: number, rateHz: number, start: boolean): number[] {
    const ids = streamId === MAV_DATA_STREAM_ALL ? [...STREAM_GROUPS.keys()] : [streamId];
    const changed: number[] = [];
    for (const id of ids) {
      const names = STREAM_GROUPS.get(id);
      if (!names) continue;
      changed.push(id);
      for (const name of names) {
        const msgid = messageId(name);
        if (start && rateHz > 0) this.groupInterval.set(msgid, 1000 / rateHz);
        else this.groupInterval.delete(msgid);
      }
    }
    return changed;
  }

  /**
   * SET_MESSAGE_INTERVAL: interval µs, -1 = off, 0 = back to the default (the group rate). False for a message
   * we cannot stream.
   */
  setInterval(msgid: number, intervalUs: number): boolean {
    if (!STREAMABLE.has(msgid)) return false;
    if (intervalUs === 0) this.override.delete(msgid);
    else this.override.set(msgid, intervalUs < 0 ? -1 : intervalUs / 1000);
    this.nextDue.delete(msgid);
    return true;
  }

  /** GET_MESSAGE_INTERVAL: µs, -1 when not sent. */
  intervalUs(msgid: number): number {
    const ms = this.intervalMs(msgid);
    return ms === null ? -1 : Math.round(ms * 1000);
  }

  private intervalMs(msgid: number): number | null {
    const o = this.override.get(msgid);
    if (o !== undefined) return o < 0 ? null : o;
    return this.groupInterval.get(msgid) ?? null;
  }

  /** Message ids due at `now`, in id order; each is rescheduled. */
  due(now: number): number[] {
    const ids = new Set([...this.groupInterval.keys(), ...this.override.keys()]);
    const out: number[] = [];
    for (const msgid of [...ids].sort((a, b) => a - b)) {
      const interval = this.intervalMs(msgid);
      if (interval === null) {
        this.nextDue.delete(msgid);
        continue;
      }
      const due = this.nextDue.get(msgid);
      if (due === undefined) {
        // First send at once; a newly (re)started stream does not wait a whole interval.
        out.push(msgid);
        this.nextDue.set(msgid, now + interval);
      } else if (now >= due) {
        out.push(msgid);
        // Behind by more than an interval (a stalled event loop): restart the schedule rather than burst.
        this.nextDue.set(msgid, now - due >= interval ? now + interval : due + interval);
      }
    }
    return out;
  }
}
