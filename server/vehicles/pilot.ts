/**
 * The pilot's commands as ArduPilot expects them: each VehicleCommand becomes one or more COMMAND_LONG /
 * COMMAND_INT through the CommandClient, in the order the autopilot requires (take-off: GUIDED, arm, NAV_TAKEOFF),
 * each step waited for (mode and armed state confirmed by HEARTBEAT) before the next is sent. A step that fails
 * stops the sequence and the outcome says which step, in words.
 */
import type { VehicleCommand, VehicleState } from "../protocol";
import { MAV_CMD } from "../mavlink";
import type { CommandClient, CommandOutcome, CommandTarget, SendOptions } from "./commands";

/** MAV_FRAME_GLOBAL_RELATIVE_ALT: COMMAND_INT altitude above home. */
const FRAME_GLOBAL_RELATIVE_ALT = 3;
/** DO_REPOSITION param2 bit: switch to GUIDED if needed (ArduCopter denies a reposition outside GUIDED without it). */
const REPOSITION_CHANGE_MODE = 1;
/** DO_CHANGE_SPEED param1: ground speed. */
const SPEED_TYPE_GROUND = 1;

/** The mode used for "brake" and "pause" per vehicle class (ArduCopter BRAKE stops and holds; others hold). */
const HOLD_MODE: Record<string, string> = { copter: "BRAKE", plane: "LOITER", rover: "HOLD", boat: "HOLD", sub: "POSHOLD" };

export class PilotCommands {
  constructor(private readonly commands: CommandClient) {}

  /**
   * Runs one pilot command on a vehicle whose latest state is `vehicle`. `onProgress` hears IN_PROGRESS acks.
   */
  async run(target: CommandTarget, vehicle: VehicleState, command: VehicleCommand, opts: SendOptions = {}): Promise<CommandOutcome> {
    const c = this.commands;
    const t: CommandTarget = { ...target, vehicleClass: vehicle.vehicleClass };
    switch (command.kind) {
      case "arm":
        return c.arm(t, { ...opts, force: command.force ?? false });
      case "disarm":
        return c.disarm(t, { ...opts, force: command.force ?? false });
      case "setMode":
        return c.setMode(t, command.mode, opts);
      case "takeoff":
        return this.sequence([
          vehicle.mode === "GUIDED" ? null : ["Switch to GUIDED", () => c.setMode(t, "GUIDED", opts)],
          vehicle.armed ? null : ["Arm", () => c.arm(t, opts)],
          [`Take off to ${command.altM} m`, () => c.takeoff(t, command.altM, opts)],
        ]);
      case "land":
        return vehicle.vehicleClass === "copter"
          ? c.setMode(t, "LAND", opts)
          : c.send(t, { kind: "long", command: MAV_CMD.NAV_LAND }, opts);
      case "rtl":
        return c.setMode(t, "RTL", opts);
      case "brake":
      case "missionPause":
        return c.setMode(t, HOLD_MODE[vehicle.vehicleClass] ?? "LOITER", opts);
      case "goto":
        return this.sequence([
          vehicle.mode === "GUIDED" ? null : ["Switch to GUIDED", () => c.setMode(t, "GUIDED", opts)],
          [`Go to ${command.lat.toFixed(6)}, ${command.lon.toFixed(6)} at ${command.altM} m`, () => c.send(t, {
            kind: "int", command: MAV_CMD.DO_REPOSITION, frame: FRAME_GLOBAL_RELATIVE_ALT,
            // Default ground speed (-1), change mode if needed, reserved, keep the current yaw (NaN).
            params: [-1, REPOSITION_CHANGE_MODE, 0, NaN], x: command.lat, y: command.lon, z: command.altM,
          }, opts)],
        ]);
      case "speed":
        return c.send(t, { kind: "long", command: MAV_CMD.DO_CHANGE_SPEED, params: [SPEED_TYPE_GROUND, command.mps, -1, 0] }, opts);
      case "setCurrent":
        return c.send(t, { kind: "long", command: MAV_CMD.DO_SET_MISSION_CURRENT, params: [command.seq] }, opts);
      case "missionStart":
        return this.sequence([
          command.fromSeq === undefined ? null : [`Set the current item to ${command.fromSeq}`,
            () => c.send(t, { kind: "long", command: MAV_CMD.DO_SET_MISSION_CURRENT, params: [command.fromSeq ?? 1] }, opts)],
          // ArduCopter does not arm in AUTO: arm in GUIDED, then MISSION_START switches to AUTO and starts.
          vehicle.armed || vehicle.mode === "GUIDED" ? null : ["Switch to GUIDED", () => c.setMode(t, "GUIDED", opts)],
          vehicle.armed ? null : ["Arm", () => c.arm(t, opts)],
          ["Start the mission", () => c.send(t, { kind: "long", command: MAV_CMD.MISSION_START, params: [0, 0] }, opts)],
        ]);
      case "missionResume":
        return c.setMode(t, "AUTO", opts);
    }
  }

  /** Runs steps in order; stops at the first refusal, naming the step that failed. */
  private async sequence(steps: readonly ([string, () => Promise<CommandOutcome>] | null)[]): Promise<CommandOutcome> {
    const todo = steps.filter((s): s is [string, () => Promise<CommandOutcome>] => s !== null);
    let attempts = 0;
    const texts: string[] = [];
    let last: CommandOutcome | null = null;
    for (const [name, step] of todo) {
      const outcome = await step();
      attempts += outcome.attempts;
      texts.push(...outcome.vehicleTexts);
      if (!outcome.ok) {
        return { ...outcome, attempts, vehicleTexts: texts, text: todo.length > 1 ? `${name}: ${outcome.text}` : outcome.text };
      }
      last = outcome;
    }
    if (!last) throw new Error("empty command sequence");
    return { ...last, attempts, vehicleTexts: texts, text: last.text };
  }
}
