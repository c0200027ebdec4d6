/**
 * The pilot's commands against the real built-in simulated ArduCopter on a virtual clock: each command's
 * MAVLink sequence, its success (seen in the vehicle's own state) and its refusal paths with the vehicle's words.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAV_CMD, MAV_DATA_STREAM_ALL } from "../mavlink";
import { parseWaypoints } from "../missions";
import type { VehicleCommand, VehicleState } from "../protocol";
import type { CommandTarget } from "./commands";
import { MissionClient } from "./missions";
import { PilotCommands } from "./pilot";
import { reduceVehicle } from "./reducer";
import { emptyVehicle } from "./state";
import { Rig } from "../../test/support/vehicles/rig";

const TARGET: CommandTarget = { linkId: "sim", sysid: 1, compid: 1 };
const MODE = { STABILIZE: 0, AUTO: 3, GUIDED: 4, RTL: 6, LAND: 9, BRAKE: 17 };

/** The rig plus the vehicle state as the ground station sees it (the reducer over everything heard). */
class Pilot {
  readonly rig = new Rig();
  readonly pilot = new PilotCommands(this.rig.client);
  state: VehicleState;

  constructor() {
    this.state = emptyVehicle({ sysid: 1, compid: 1 }, this.rig.clock.time);
    this.rig.deps.onMessage((d) => {
      if (d.sysid === 1 && d.compid === 1) this.state = reduceVehicle(this.state, d.message, this.rig.clock.time);
    });
  }

  /** Boots the vehicle and turns its streams on (REQUEST_DATA_STREAM ALL at 4 Hz), as the ground station does. */
  async ready(): Promise<this> {
    await this.rig.ready();
    this.rig.deliver({ kind: "requestDataStream", target: { sysid: 1, compid: 1 }, streamId: MAV_DATA_STREAM_ALL, rateHz: 4, start: true });
    await this.rig.run(1000);
    return this;
  }

  async run(command: VehicleCommand) {
    return (await this.rig.until(this.pilot.run(TARGET, this.state, command))).value;
  }

  /** COMMAND_LONG/INT numbers sent since `from`, in order. */
  commandsSince(from: number): number[] {
    return this.rig.sent.slice(from).flatMap((m) => (m.kind === "commandLong" || m.kind === "commandInt" ? [m.command] : []));
  }
}

describe("pilot commands against the simulated ArduCopter", () => {
  it("take-off: GUIDED, arm, NAV_TAKEOFF, each confirmed before the next; the vehicle climbs to the altitude", async () => {
    const p = await new Pilot().ready();
    const from = p.rig.sent.length;
    const out = await p.run({ kind: "takeoff", altM: 20 });
    expect(out).toMatchObject({ ok: true, result: "accepted", text: "Accepted by the vehicle" });
    expect(p.commandsSince(from)).toEqual([MAV_CMD.DO_SET_MODE, MAV_CMD.COMPONENT_ARM_DISARM, MAV_CMD.NAV_TAKEOFF]);
    await p.rig.run(15_000, 50);
    expect(p.rig.vehicle.armed).toBe(true);
    expect(p.rig.vehicle.phys.up).toBeGreaterThan(19);
    expect(p.state.position?.altRelative).toBeGreaterThan(19);
  });

  it("take-off before the vehicle is ready stops at the arming step, with the vehicle's own reason", async () => {
    const p = new Pilot();
    await p.rig.start();
    const out = await p.run({ kind: "takeoff", altM: 20 });
    expect(out.ok).toBe(false);
    // GUIDED needs a position the vehicle does not have yet: the first step already fails.
    expect(out.text).toMatch(/^Switch to GUIDED: Refused by the vehicle \(failed\): Mode change to GUIDED failed: requires position/);
    expect(p.rig.vehicle.armed).toBe(false);
    expect(p.rig.commandsSent(MAV_CMD.NAV_TAKEOFF)).toEqual([]);
  });

  it("go to a clicked point: DO_REPOSITION as COMMAND_INT at the altitude above home; the vehicle flies there", async () => {
    const p = await new Pilot().ready();
    await p.run({ kind: "takeoff", altM: 15 });
    await p.rig.run(10_000, 50);
    const point = { lat: 51.5083, lon: -0.1268 };
    const out = await p.run({ kind: "goto", ...point, altM: 25 });
    expect(out).toMatchObject({ ok: true, result: "accepted" });
    const sent = p.rig.sent.findLast((m) => m.kind === "commandInt");
    expect(sent).toMatchObject({ kind: "commandInt", command: MAV_CMD.DO_REPOSITION, frame: 3, x: point.lat, y: point.lon, z: 25 });
    await p.rig.run(40_000, 50);
    const at = p.rig.vehicle.position();
    expect(Math.abs(at.lat - point.lat)).toBeLessThan(2e-5);
    expect(Math.abs(at.lon - point.lon)).toBeLessThan(3e-5);
    expect(p.rig.vehicle.phys.up).toBeCloseTo(25, 0);
  });

  it("land, RTL and brake are mode changes confirmed by the heartbeat; speed is DO_CHANGE_SPEED", async () => {
    const p = await new Pilot().ready();
    await p.run({ kind: "takeoff", altM: 10 });
    await p.rig.run(8000, 50);
    expect(await p.run({ kind: "speed", mps: 3 })).toMatchObject({ ok: true });
    expect(p.rig.vehicle.flight.speedOverride).toBe(3);
    for (const [command, mode] of [["brake", MODE.BRAKE], ["rtl", MODE.RTL], ["land", MODE.LAND]] as const) {
      const out = await p.run({ kind: command });
      expect(out, command).toMatchObject({ ok: true, result: "accepted" });
      expect(p.rig.vehicle.mode, command).toBe(mode);
      expect(p.state.customMode, command).toBe(mode);
    }
  });

  it("start a mission from the ground: GUIDED, arm, MISSION_START; pause holds, resume continues in AUTO", async () => {
    const p = await new Pilot().ready();
    const missions = new MissionClient(p.rig.deps);
    const text = fs.readFileSync(path.resolve(__dirname, "../../test/fixtures/copter_flight_1.waypoints"), "utf8");
    const uploaded = await p.rig.until(missions.uploadPlan(TARGET, parseWaypoints(text)));
    expect(uploaded.value.ok).toBe(true);
    const from = p.rig.sent.length;
    const out = await p.run({ kind: "missionStart" });
    expect(out).toMatchObject({ ok: true, result: "accepted" });
    expect(p.commandsSince(from)).toEqual([MAV_CMD.DO_SET_MODE, MAV_CMD.COMPONENT_ARM_DISARM, MAV_CMD.MISSION_START]);
    expect(p.rig.vehicle.mode).toBe(MODE.AUTO);
    await p.rig.run(20_000, 50);
    expect(p.rig.vehicle.phys.up).toBeGreaterThan(10);
    expect(await p.run({ kind: "missionPause" })).toMatchObject({ ok: true });
    expect(p.rig.vehicle.mode).toBe(MODE.BRAKE);
    expect(await p.run({ kind: "missionResume" })).toMatchObject({ ok: true });
    expect(p.rig.vehicle.mode).toBe(MODE.AUTO);
    expect(await p.run({ kind: "setCurrent", seq: 3 })).toMatchObject({ ok: true });
    await p.rig.run(1000, 50);
    expect(p.state.mission?.current).toBe(3);
    missions.close();
  });

  it("start without a mission on the vehicle is refused with the vehicle's reason, after arming in GUIDED", async () => {
    const p = await new Pilot().ready();
    const out = await p.run({ kind: "missionStart" });
    expect(out).toMatchObject({ ok: false, result: "failed" });
    expect(out.text).toBe("Start the mission: Refused by the vehicle (failed): Mode change to AUTO failed: init failed");
  });

  it("a vehicle that hears nothing: the command ends in a timeout after 4 tries, in words", async () => {
    const p = await new Pilot().ready();
    p.rig.deaf = true;
    const out = await p.run({ kind: "rtl" });
    expect(out).toMatchObject({ ok: false, result: "timeout", attempts: 4, text: "No answer from the vehicle after 4 tries" });
  });
});
