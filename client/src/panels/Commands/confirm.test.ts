import { describe, expect, it } from "vitest";
import type { VehicleCommand } from "../../../../server/protocol";
import { makeVehicle } from "../../test/vehicles";
import { confirmationFor, secondConfirmed, vehicleFacts } from "./confirm";
import { FLEET_ACTIONS, fleetRow, fleetSummary, fleetTargets } from "./fleet";

const flying = makeVehicle(3, { mode: "LOITER" });
const landed = makeVehicle(3, { armed: false, armedSince: null, systemStatus: "standby", position: { lat: 52.5, lon: 13.4, altAmsl: 34, altRelative: 0 } });

describe("which commands ask first", () => {
  it("arm, take off, land, RTL, go to and mission start always; disarm only in the air", () => {
    const asks = (c: VehicleCommand, v = flying) => confirmationFor(c, v) !== null;
    expect(asks({ kind: "arm" }, landed)).toBe(true);
    expect(asks({ kind: "takeoff", altM: 20 }, landed)).toBe(true);
    expect(asks({ kind: "land" })).toBe(true);
    expect(asks({ kind: "rtl" })).toBe(true);
    expect(asks({ kind: "goto", lat: 1, lon: 2, altM: 3 })).toBe(true);
    expect(asks({ kind: "missionStart" })).toBe(true);
    expect(asks({ kind: "disarm" })).toBe(true);
    expect(asks({ kind: "disarm" }, { ...landed, armed: true })).toBe(false);
    for (const c of [{ kind: "brake" }, { kind: "setMode", mode: "LOITER" }, { kind: "speed", mps: 4 }, { kind: "missionPause" }, { kind: "missionResume" }] as VehicleCommand[]) {
      expect(asks(c)).toBe(false);
    }
  });

  it("names the vehicle: sysid, mode, armed, altitude", () => {
    const c = confirmationFor({ kind: "rtl" }, flying);
    expect(c?.title).toBe("Return 3:1 to launch?");
    expect(c?.second).toBeNull();
    expect(vehicleFacts(flying)).toEqual([
      { label: "Vehicle", value: "3:1 (sysid 3)" },
      { label: "Mode", value: "LOITER" },
      { label: "State", value: "Armed, flying" },
      { label: "Altitude", value: "30.0\u202fm above home" },
      { label: "Battery", value: "76\u202f% · 15.8\u202fV" },
    ]);
    expect(confirmationFor({ kind: "takeoff", altM: 25 }, landed)?.body).toContain("25\u202fm above home");
    expect(confirmationFor({ kind: "disarm" }, flying)?.title).toBe("Disarm 3:1 in the air?");
  });

  it("forced arm/disarm need a second step: the vehicle's number typed and the consequence ticked", () => {
    const c = confirmationFor({ kind: "disarm", force: true }, flying);
    expect(c?.title).toBe("Force disarm 3:1?");
    const second = c?.second;
    if (!second) throw new Error("no second step");
    expect(second.typeLabel).toBe("Type the vehicle number (3) to confirm");
    expect(second.tickLabel).toBe("I understand the motors will stop");
    expect(secondConfirmed(second, "3", false)).toBe(false);
    expect(secondConfirmed(second, "4", true)).toBe(false);
    expect(secondConfirmed(second, " 3 ", true)).toBe(true);
    expect(confirmationFor({ kind: "arm", force: true }, landed)?.second?.tickLabel).toBe("I understand the pre-arm checks are skipped");
  });
});

describe("fleet actions", () => {
  const rover = makeVehicle(4, { vehicleClass: "rover" });
  it("goes to armed vehicles only (land: to aircraft only), and says who is left out", () => {
    const all = [flying, { ...landed, key: "5:1" as const, sysid: 5 }, rover];
    expect(fleetTargets(all, "rtl").targets.map((v) => v.key)).toEqual(["3:1", "4:1"]);
    expect(fleetTargets(all, "land")).toEqual({ targets: [flying], skipped: [{ key: "5:1", reason: "disarmed" }, { key: "4:1", reason: "does not fly" }] });
    expect(FLEET_ACTIONS.map((a) => a.label)).toEqual(["RTL all", "Land all", "Brake all"]);
  });

  it("lists each vehicle and sums the answers", () => {
    expect(fleetRow(flying)).toEqual({ key: "3:1", mode: "LOITER", altitude: "30\u202fm", battery: "76\u202f%" });
    const ok = { tone: "ok" as const, text: "Accepted" };
    const no = { tone: "danger" as const, text: "Refused" };
    expect(fleetSummary([{ key: "1:1", outcome: ok }, { key: "2:1", outcome: no }, { key: "3:1", outcome: null }])).toBe("1 accepted, 1 refused, 1 waiting");
    expect(fleetSummary([{ key: "1:1", outcome: ok }])).toBe("1 accepted");
  });
});
