import type { MissionState, VehicleCommand, VehicleEvent, VehicleState } from "../protocol";

/** A change of flight mode seen from one tick to the next. */
export interface ModeChange {
  from: string;
  to: string;
  /** This ground station asked for the new mode shortly before. */
  commanded: boolean;
  time: number;
}

/** Commands from here that we expect to be followed by a mode change (see vehicles/pilot.ts for what each sends). */
export function modesOfCommand(command: VehicleCommand): readonly string[] {
  switch (command.kind) {
    case "setMode":
      return [command.mode];
    case "land":
      return ["LAND", "QLAND"];
    case "rtl":
      return ["RTL", "QRTL"];
    case "brake":
    case "missionPause":
      return ["BRAKE", "LOITER", "HOLD", "POSHOLD"];
    case "takeoff":
    case "goto":
      return ["GUIDED"];
    case "missionStart":
    case "missionResume":
      return ["AUTO"];
    case "arm":
    case "disarm":
    case "speed":
    case "setCurrent":
      return [];
  }
}

/** Any mode: a mode change the vehicle accepted without saying which (see modesOfAcceptedCommand). */
export const ANY_MODE = "*";

/**
 * A command a recording shows the vehicle accepted (its COMMAND_ACK), by MAV_CMD number: the modes it leads to. A
 * replayed file has no command gate to say what this server sent, and a recording of the vehicle's side holds only
 * the acknowledgements: DO_SET_MODE and SET_MODE (acknowledged with its message id) may lead to any mode.
 */
export function modesOfAcceptedCommand(command: number): readonly string[] {
  switch (command) {
    case 176: // DO_SET_MODE
    case 11: // SET_MODE
      return [ANY_MODE];
    case 20: // NAV_RETURN_TO_LAUNCH
      return ["RTL", "QRTL"];
    case 21: // NAV_LAND
      return ["LAND", "QLAND"];
    case 22: // NAV_TAKEOFF
    case 192: // DO_REPOSITION
      return ["GUIDED"];
    case 300: // MISSION_START
      return ["AUTO"];
    case 193: // DO_PAUSE_CONTINUE
      return ["BRAKE", "LOITER", "HOLD", "POSHOLD", "AUTO"];
    default:
      return [];
  }
}

/** Commands waiting for their mode change, per vehicle: a pilot clicks a few at most. */
const MAX_EXPECTED = 8;

/**
 * One vehicle's timeline from its states tick by tick: mode changes (commanded here or not), arming, disarming and
 * the end of a mission. The first state seen is a starting point, not a change.
 */
export class VehicleTimeline {
  private last: { mode: string; armed: boolean; mission: MissionState | null } | null = null;
  private expected: { modes: readonly string[]; time: number }[] = [];

  /** A command from here was sent: a change into one of `modes` soon after is ours. */
  commanded(modes: readonly string[], time: number): void {
    if (modes.length === 0) return;
    this.expected.push({ modes, time });
    if (this.expected.length > MAX_EXPECTED) this.expected.shift();
  }

  observe(v: VehicleState, time: number, commandedWithinMs: number): { events: VehicleEvent[]; change: ModeChange | null } {
    const prev = this.last;
    const mission = v.mission?.state ?? null;
    this.last = { mode: v.mode, armed: v.armed, mission };
    this.expected = this.expected.filter((e) => time - e.time <= commandedWithinMs);
    if (prev === null) return { events: [], change: null };
    const events: VehicleEvent[] = [];
    let change: ModeChange | null = null;
    if (v.mode !== prev.mode && prev.mode !== "UNKNOWN") {
      const i = this.expected.findIndex((e) => e.modes.includes(v.mode) || e.modes.includes(ANY_MODE));
      if (i >= 0) this.expected.splice(i, 1);
      change = { from: prev.mode, to: v.mode, commanded: i >= 0, time };
      events.push({ key: v.key, time, kind: "mode_change", from: prev.mode, to: v.mode, commanded: i >= 0 });
    }
    if (v.armed !== prev.armed) events.push({ key: v.key, time, kind: v.armed ? "armed" : "disarmed" });
    // A mission seen complete since the server first heard of it; not one found complete on connecting.
    if (mission === "complete" && prev.mission !== null && prev.mission !== "complete") {
      events.push({ key: v.key, time, kind: "mission_complete" });
    }
    return { events, change };
  }
}
