import { describe, expect, it } from "vitest";
import { movedBy } from "./geo";
import { HOME, Harness } from "../../test/support/sitl/sim-harness";

const GUIDED = 4;
const RTL = 6;
const GEOFENCE = 0x100000;

function ready(): Harness {
  const h = new Harness();
  h.ready();
  h.command(511, [162, 1_000_000]); // FENCE_STATUS at 1 Hz, as the recordings' GCS asked
  return h;
}

describe("fences set by parameters", () => {
  it("circle: FENCE_STATUS only once enabled; a breach sends it at once, says so at NOTICE and RTLs (not CRITICAL)", () => {
    const h = ready();
    h.param("FENCE_TYPE", 2);
    h.param("FENCE_RADIUS", 50);
    h.run(2000);
    expect(h.named("FENCE_STATUS")).toHaveLength(0);
    h.param("FENCE_ENABLE", 1);
    h.takeoff(20);
    expect(h.last("FENCE_STATUS")!.fields).toMatchObject({ breach_status: 0, breach_count: 0, breach_type: 0 });
    const east = movedBy(HOME, 0, 40);
    expect(h.command(192, [-1, 0, 0, NaN, east.lat, east.lon, 20])).toBe(0);
    h.runUntil(() => h.vehicle.phys.east > 39, 20_000);
    const t = h.time;
    h.param("FENCE_RADIUS", 30);
    h.run(1500);
    // As recorded: the breach's FENCE_STATUS first, then the HEARTBEAT with the new mode, then the texts.
    const seen = h.got.filter((m) => m.at >= t && ["FENCE_STATUS", "HEARTBEAT", "STATUSTEXT"].includes(m.name));
    const after = seen.slice(seen.findIndex((m) => m.name === "FENCE_STATUS" && m.fields.breach_status === 1));
    const names = after.map((m) => m.name).filter((n, k, all) => n !== all[k - 1]);
    expect(names.slice(0, 3)).toEqual(["FENCE_STATUS", "HEARTBEAT", "STATUSTEXT"]);
    expect(after[0]!.fields).toMatchObject({ breach_status: 1, breach_count: 1, breach_type: 3, breach_mitigation: 1 });
    expect(after[0]!.fields.breach_time).toBe(h.vehicle.failsafe.fence.breachTimeMs);
    expect(after.find((m) => m.name === "HEARTBEAT")!.fields).toMatchObject({ custom_mode: RTL, system_status: 4 });
    const texts = after.filter((m) => m.name === "STATUSTEXT");
    expect([texts[0]!.fields, texts[1]!.fields]).toEqual([
      expect.objectContaining({ severity: 5, text: "Circle fence breached" }),
      expect.objectContaining({ severity: 6, text: "Manual recovery started" }),
    ]);
    expect((h.last("SYS_STATUS")!.fields.onboard_control_sensors_health as number) & GEOFENCE).toBe(0);
    h.runUntil(() => h.texts(t).includes("Fence breach cleared"), 20_000);
    h.run(1500);
    expect(h.last("FENCE_STATUS")!.fields).toMatchObject({ breach_status: 0, breach_count: 1, breach_type: 0 });
    expect((h.last("SYS_STATUS")!.fields.onboard_control_sensors_health as number) & GEOFENCE).toBe(GEOFENCE);
    expect(h.vehicle.mode).toBe(RTL);
  });

  it("maximum altitude: 'Max Alt fence breached', breach_type MAXALT", () => {
    const h = ready();
    h.param("FENCE_TYPE", 1);
    h.param("FENCE_ALT_MAX", 15);
    h.param("FENCE_ENABLE", 1);
    h.takeoff(20);
    expect(h.texts()).toContain("Max Alt fence breached");
    expect(h.named("FENCE_STATUS").find((m) => m.fields.breach_status === 1)!.fields.breach_type).toBe(2);
  });
});

describe("GCS failsafe", () => {
  function flyingWithGcs(): Harness {
    const h = ready();
    h.param("FS_GCS_ENABLE", 1);
    h.takeoff(20);
    h.runUntil(() => false, 3000);
    return h;
  }

  it("no GCS heartbeat for FS_GCS_TIMEOUT: 'GCS Failsafe', RTL, CRITICAL; heartbeats again: cleared, RTL kept", () => {
    const h = flyingWithGcs();
    h.heartbeat();
    const t = h.time;
    h.run(4800);
    expect(h.texts(t)).toEqual([]);
    h.run(1500);
    expect(h.named("STATUSTEXT", t).map((m) => [m.fields.severity, m.fields.text])).toEqual([[4, "GCS Failsafe"]]);
    expect(h.last("HEARTBEAT")!.fields).toMatchObject({ custom_mode: RTL, system_status: 5 });
    h.runUntil(() => false, 2000);
    expect(h.texts(t)).toContain("GCS Failsafe Cleared");
    expect(h.last("HEARTBEAT")!.fields).toMatchObject({ custom_mode: RTL, system_status: 4 });
  });

  it("in a pilot-flown mode with FS_OPTIONS 16 (default) it only warns; FS_GCS_ENABLE 0 does nothing", () => {
    const h = flyingWithGcs();
    expect(h.command(176, [1, 5])).toBe(0); // LOITER
    h.run(6000);
    expect(h.texts()).toContain("GCS Failsafe - Continuing Pilot Control");
    expect(h.vehicle.mode).toBe(5);
    const quiet = ready();
    quiet.takeoff(20);
    quiet.run(10_000);
    expect(quiet.texts().some((s) => s.startsWith("GCS Failsafe"))).toBe(false);
    expect(quiet.vehicle.mode).toBe(GUIDED);
  });
});
