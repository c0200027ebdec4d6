/**
 * The timeline marks of one .tlog, found while indexing it (file time): arming, take-off and landing, mode changes
 * (commanded or not), the alerts the rules raise, the vehicle's messages, mission items reached, link gaps and
 * damaged spans. Capped per file; what is left out is counted.
 */
import type { Alert, ReplayMark, StatusTextEvent, VehicleEvent, VehicleKey } from "../protocol";
import { vehicleKey } from "../protocol";
import type { Decoded } from "../mavlink";
import type { CommandAckEvent } from "../vehicles";

export const MAX_MARKS_PER_FLIGHT = 5000;
/** No packet from a vehicle for longer than this is a gap in its link (the tracker item's 2 s). */
export const LINK_GAP_MS = 2000;
/** Relative altitude that counts as airborne, and back on the ground (hysteresis: GPS altitude jitters). */
const TAKEOFF_ALT_M = 1;
const LANDED_ALT_M = 0.5;
/**
 * A mode change is commanded when the vehicle accepted a mode-changing command shortly before (or just after: the
 * ack and the heartbeat showing the mode may come in either order). The vehicle acks every ground station's
 * command, so this works on recordings that hold only the vehicle's side.
 */
const COMMANDED_BEFORE_MS = 5000;
const COMMANDED_AFTER_MS = 1000;
/** DO_SET_MODE, SET_MODE (acked with its message id), RTL, LAND, TAKEOFF, MISSION_START, DO_REPOSITION, DO_PAUSE_CONTINUE. */
const MODE_COMMANDS: ReadonlySet<number> = new Set([176, 11, 20, 21, 22, 300, 192, 193]);
const MAX_ACKS = 10_000;

interface Air {
  armed: boolean;
  airborne: boolean;
  lastPacket: number;
}

export class MarkCollector {
  readonly marks: ReplayMark[] = [];
  dropped = 0;
  private readonly air = new Map<VehicleKey, Air>();
  private readonly acks: { key: VehicleKey; time: number }[] = [];
  /** Alert marks by alert id: updated as the alert changes, ended when it clears. */
  private readonly alertMarks = new Map<number, ReplayMark>();
  readonly firsts = new Map<VehicleKey, { takeoff: number | null; armed: number | null }>();

  add(mark: ReplayMark): ReplayMark | null {
    if (this.marks.length >= MAX_MARKS_PER_FLIGHT) {
      this.dropped++;
      return null;
    }
    this.marks.push(mark);
    return mark;
  }

  statusText(e: StatusTextEvent): void {
    this.add({ time: e.status.time, vehicle: e.key, kind: "message", text: e.status.text, severity: e.status.severity });
  }

  alert(a: Alert): void {
    const mark = this.alertMarks.get(a.id);
    if (mark === undefined) {
      const added = this.add({ time: a.raisedAt, vehicle: a.key, kind: "alert", text: a.text, severity: a.severity });
      if (added) this.alertMarks.set(a.id, added);
      return;
    }
    mark.text = a.text;
    mark.severity = a.severity;
    if (a.clearedAt !== null) {
      mark.end = a.clearedAt;
      this.alertMarks.delete(a.id);
    }
  }

  event(e: VehicleEvent): void {
    if (e.kind === "mode_change") this.add({ time: e.time, vehicle: e.key, kind: "mode", text: `${e.from} → ${e.to}` });
    else if (e.kind === "mission_complete") this.add({ time: e.time, vehicle: e.key, kind: "mission_item", text: "Mission complete" });
    else {
      this.add({ time: e.time, vehicle: e.key, kind: e.kind, text: e.kind === "armed" ? "Armed" : "Disarmed" });
      const f = this.first(e.key);
      if (e.kind === "armed" && f.armed === null) f.armed = e.time;
    }
  }

  commandAck(e: CommandAckEvent): void {
    if (e.result === 0 && MODE_COMMANDS.has(e.command) && this.acks.length < MAX_ACKS) this.acks.push({ key: e.key, time: e.time });
  }

  message(d: Decoded, time: number): void {
    const key = vehicleKey(d.sysid, d.compid);
    const air = this.air.get(key) ?? { armed: false, airborne: false, lastPacket: time };
    this.air.set(key, air);
    if (time - air.lastPacket > LINK_GAP_MS) {
      this.add({ time: air.lastPacket, end: time, vehicle: key, kind: "link_gap", text: `No packet for ${((time - air.lastPacket) / 1000).toFixed(1)} s` });
    }
    air.lastPacket = time;
    const m = d.message;
    if (m.kind === "heartbeat" && m.isVehicle) {
      air.armed = m.armed;
      if (!m.armed && air.airborne) this.land(key, air, time);
    } else if (m.kind === "globalPosition") {
      if (!air.airborne && air.armed && m.altRelative >= TAKEOFF_ALT_M) {
        air.airborne = true;
        this.add({ time, vehicle: key, kind: "takeoff", text: `Take-off (${m.altRelative.toFixed(1)} m above home)` });
        const f = this.first(key);
        if (f.takeoff === null) f.takeoff = time;
      } else if (air.airborne && m.altRelative < LANDED_ALT_M) {
        this.land(key, air, time);
      }
    } else if (m.kind === "missionItemReached") {
      this.add({ time, vehicle: key, kind: "mission_item", text: `Reached item ${m.seq}` });
    }
  }

  damaged(from: number, to: number, vehicle: VehicleKey, what: string): void {
    const last = this.marks[this.marks.length - 1];
    // One span for a run of damage, not one mark per bad byte.
    if (last?.kind === "damaged" && last.end !== undefined && from - last.end < 1000) {
      last.end = to;
      return;
    }
    this.add({ time: from, end: to, vehicle, kind: "damaged", text: `Damaged recording: ${what}` });
  }

  /** The marks in time order, mode changes told commanded or not. */
  finish(): ReplayMark[] {
    for (const m of this.marks) {
      if (m.kind !== "mode") continue;
      const commanded = this.acks.some((a) => a.key === m.vehicle && a.time >= m.time - COMMANDED_BEFORE_MS && a.time <= m.time + COMMANDED_AFTER_MS);
      if (!commanded) {
        m.uncommanded = true;
        m.text = `${m.text} (not commanded)`;
      }
    }
    return this.marks.sort((a, b) => a.time - b.time);
  }

  private land(key: VehicleKey, air: Air, time: number): void {
    air.airborne = false;
    this.add({ time, vehicle: key, kind: "landing", text: "Landing" });
  }

  private first(key: VehicleKey) {
    let f = this.firsts.get(key);
    if (!f) {
      f = { takeoff: null, armed: null };
      this.firsts.set(key, f);
    }
    return f;
  }
}
