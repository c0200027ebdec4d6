import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { assignSysid, describeSysid } from "./sysid";
import { FakeSitlVehicle } from "../../test/support/sitl/launch-doubles";

const logger = pino({ level: "silent" });

let vehicle: FakeSitlVehicle | null = null;
afterEach(async () => {
  await vehicle?.stop();
  vehicle = null;
});

describe("assignSysid", () => {
  it("uses MAV_SYSID on current firmware, reboots, and sees the vehicle come back with the new id", async () => {
    vehicle = new FakeSitlVehicle(["MAV_SYSID"]);
    const url = await vehicle.start();
    const r = await assignSysid(url, 3, { paramName: "auto", logger, replyTimeoutMs: 500, bootTimeoutMs: 5000, confirm: true });
    expect(r).toMatchObject({ from: 1, to: 3, paramName: "MAV_SYSID", rebootResult: 0, confirmed: true });
    expect(vehicle.received.filter((n) => n.startsWith("PARAM_SET"))).toEqual(["PARAM_SET MAV_SYSID"]);
    expect(describeSysid(r)).toMatch(/1 -> 3 \(MAV_SYSID; rebooted, now live\)/);
  });

  it("falls back to SYSID_THISMAV when the firmware is silent about MAV_SYSID (Copter 4.0)", async () => {
    vehicle = new FakeSitlVehicle(["SYSID_THISMAV"]);
    const url = await vehicle.start();
    const r = await assignSysid(url, 2, { paramName: "auto", logger, replyTimeoutMs: 300 });
    expect(r).toMatchObject({ paramName: "SYSID_THISMAV", rebootResult: 0 });
    expect(vehicle.received.filter((n) => n.startsWith("PARAM_SET"))).toEqual(["PARAM_SET MAV_SYSID", "PARAM_SET SYSID_THISMAV"]);
  });

  it("uses only the name it is told to", async () => {
    vehicle = new FakeSitlVehicle(["SYSID_THISMAV"]);
    const url = await vehicle.start();
    const r = await assignSysid(url, 4, { paramName: "SYSID_THISMAV", logger, replyTimeoutMs: 300 });
    expect(r.paramName).toBe("SYSID_THISMAV");
    expect(vehicle.received.filter((n) => n.startsWith("PARAM_SET"))).toEqual(["PARAM_SET SYSID_THISMAV"]);
  });

  it("changes nothing when the vehicle already has the id", async () => {
    vehicle = new FakeSitlVehicle(["MAV_SYSID"]);
    const url = await vehicle.start();
    const r = await assignSysid(url, 1, { paramName: "auto", logger });
    expect(r).toMatchObject({ paramName: null, rebootResult: null });
    expect(vehicle.received).not.toContain("PARAM_SET MAV_SYSID");
  });

  it("says so when no name is accepted, and when no vehicle answers", async () => {
    vehicle = new FakeSitlVehicle([]);
    const url = await vehicle.start();
    await expect(assignSysid(url, 2, { paramName: "auto", logger, replyTimeoutMs: 200 }))
      .rejects.toThrow(/did not accept MAV_SYSID or SYSID_THISMAV/);
    await expect(assignSysid("tcpout://127.0.0.1:1", 2, { paramName: "auto", logger, bootTimeoutMs: 300 }))
      .rejects.toThrow(/no vehicle HEARTBEAT within 0.3 s/);
  });
});
