import { describe, expect, it } from "vitest";
import { Harness } from "../../test/support/sitl/sim-harness";

const GUIDED = 4;
const RTL = 6;
const LAND = 9;

function airborne(alt = 30): Harness {
  const h = new Harness();
  h.ready();
  expect(h.command(176, [1, GUIDED])).toBe(0);
  expect(h.command(400, [1])).toBe(0);
  expect(h.command(22, [0, 0, 0, 0, 0, 0, alt])).toBe(0);
  h.run(alt / 2.5 * 1000 + 4000);
  return h;
}

describe("SimVehicle flight", () => {
  it("takes off in GUIDED to 30 m at ~2.5 m/s and holds", () => {
    const h = new Harness();
    h.ready();
    expect(h.command(22, [0, 0, 0, 0, 0, 0, 30])).toBe(4); // not armed
    h.command(176, [1, GUIDED]);
    h.command(400, [1]);
    expect(h.command(22, [0, 0, 0, 0, 0, 0, 30])).toBe(0);
    const t0 = h.time;
    h.run(6000);
    const climb = h.relAlt() / ((h.time - t0) / 1000);
    expect(climb).toBeGreaterThan(2.0);
    expect(climb).toBeLessThan(2.6);
    expect(h.last("VFR_HUD")!.fields.climb as number).toBeCloseTo(2.5, 1);
    h.run(10_000);
    expect(h.relAlt()).toBeCloseTo(30, 0);
    h.run(20_000);
    expect(h.relAlt()).toBeCloseTo(30, 0);
    expect(h.last("HEARTBEAT")!.fields.base_mode).toBe(217);
    const hud = h.last("VFR_HUD")!.fields;
    expect(hud.throttle as number).toBeGreaterThan(30);
    expect(hud.throttle as number).toBeLessThan(55);
    expect(h.last("BATTERY_STATUS")!.fields.current_battery as number).toBeGreaterThan(1500);
  });

  it("flies to a DO_REPOSITION target (COMMAND_INT) within tolerance, at up to WPNAV_SPEED", () => {
    const h = airborne();
    const lat = 51.5083;
    const lon = -0.1265;
    h.send("COMMAND_INT", {
      target_system: 1, target_component: 1, command: 192, frame: 6, param1: -1, x: Math.round(lat * 1e7),
      y: Math.round(lon * 1e7), z: 40,
    });
    expect(h.last("COMMAND_ACK")!.fields).toMatchObject({ command: 192, result: 0 });
    const since = h.time;
    h.run(40_000);
    const speeds = h.named("VFR_HUD", since).map((m) => m.fields.groundspeed as number);
    expect(Math.max(...speeds)).toBeGreaterThan(9);
    expect(Math.max(...speeds)).toBeLessThan(10.1);
    const p = h.last("GLOBAL_POSITION_INT")!.fields;
    expect((p.lat as number) / 1e7).toBeCloseTo(lat, 4);
    expect((p.lon as number) / 1e7).toBeCloseTo(lon, 4);
    expect(h.relAlt()).toBeCloseTo(40, 0);
    // As ArduPilot: VFR_HUD's heading is GLOBAL_POSITION_INT's hdg truncated to whole degrees (yaw_sensor / 100).
    const pairs = h.named("VFR_HUD", since).flatMap((hud) => {
      const pos = h.named("GLOBAL_POSITION_INT", hud.at).find((m) => m.at === hud.at);
      return pos ? [[hud.fields.heading as number, Math.floor((pos.fields.hdg as number) / 100)]] : [];
    });
    expect(pairs.length).toBeGreaterThan(10);
    expect(new Set(pairs.map(([hud]) => hud)).size).toBeGreaterThan(1);
    for (const [hud, floored] of pairs) expect(hud).toBe(floored);
  });

  it("SET_POSITION_TARGET_GLOBAL_INT and DO_CHANGE_SPEED steer GUIDED", () => {
    const h = airborne(20);
    expect(h.command(178, [1, 5])).toBe(0);
    h.send("SET_POSITION_TARGET_GLOBAL_INT", {
      target_system: 1, coordinate_frame: 6, type_mask: 0xff8, lat_int: 515083000, lon_int: -1278000, alt: 20,
    });
    const since = h.time;
    h.run(40_000);
    const speeds = h.named("VFR_HUD", since).map((m) => m.fields.groundspeed as number);
    expect(Math.max(...speeds)).toBeLessThan(5.1);
    expect(Math.max(...speeds)).toBeGreaterThan(4.5);
    expect((h.last("GLOBAL_POSITION_INT")!.fields.lat as number) / 1e7).toBeCloseTo(51.5083, 4);
  });

  it("RTL climbs to RTL_ALT, returns, lands and disarms", () => {
    const h = airborne(10);
    h.send("COMMAND_INT", {
      target_system: 1, target_component: 1, command: 192, frame: 6, x: 515083000, y: -1278000, z: 10,
    });
    h.run(20_000);
    expect(h.command(176, [1, RTL])).toBe(0);
    const since = h.time;
    h.run(90_000);
    const alts = h.named("GLOBAL_POSITION_INT", since).map((m) => (m.fields.relative_alt as number) / 1000);
    expect(Math.max(...alts)).toBeGreaterThan(14.5);
    expect(Math.max(...alts)).toBeLessThan(15.5);
    const p = h.last("GLOBAL_POSITION_INT")!.fields;
    expect((p.lat as number) / 1e7).toBeCloseTo(51.5073998, 4);
    expect(h.relAlt()).toBeLessThan(0.1);
    expect(h.last("HEARTBEAT")!.fields).toMatchObject({ base_mode: 81, custom_mode: RTL });
    expect(h.texts(since)).toContain("Disarming motors");
  });

  it("RTL_ALT set by PARAM_SET takes effect; never descends to it", () => {
    const h = airborne(30);
    h.send("PARAM_SET", { target_system: 1, param_id: "RTL_ALT", param_value: 2000, param_type: 9 });
    expect(h.last("PARAM_VALUE")!.fields).toMatchObject({ param_id: "RTL_ALT", param_value: 2000 });
    h.command(176, [1, RTL]);
    const since = h.time;
    h.run(5000);
    const alts = h.named("GLOBAL_POSITION_INT", since).map((m) => (m.fields.relative_alt as number) / 1000);
    expect(Math.min(...alts)).toBeGreaterThan(29); // already above 20 m: stays at 30 m while returning
  });

  it("LAND descends at LAND_SPEED near the ground, lands and disarms", () => {
    const h = airborne(15);
    expect(h.command(176, [1, LAND])).toBe(0);
    h.run(6000);
    const climb = h.last("VFR_HUD")!.fields.climb as number;
    expect(climb).toBeCloseTo(-0.5, 1);
    h.run(30_000);
    expect(h.relAlt()).toBeLessThan(0.1);
    expect(h.last("HEARTBEAT")!.fields.base_mode).toBe(81);
  });

  it("auto-disarms when armed on the ground without taking off (DISARM_DELAY)", () => {
    const h = new Harness();
    h.ready();
    h.command(176, [1, GUIDED]);
    h.command(400, [1]);
    h.run(11_000);
    expect(h.last("HEARTBEAT")!.fields.base_mode).toBe(81);
  });
});
