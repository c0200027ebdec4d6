import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MissionExecutor } from "./executor";
import { distanceM } from "./nav";
import type { NavState, NavTarget } from "./nav";
import { MissionServer } from "./server";
import { FakeVehicle, HOME } from "../../../test/support/sitl/mission-host";
import { fixturePath } from "../../../test/support/sitl/mission-transcript";
import { parseWaypoints } from "./waypoints";

const MISSION = parseWaypoints(readFileSync(fixturePath("copter_flight_1.waypoints"), "utf8"));

/** The mission's MISSION_ITEM_REACHED and texts in AUTO, from the recorded flight's timeline. */
function recordedAutoEvents(): string[] {
  const lines = readFileSync(fixturePath("copter_flight_1_events.txt"), "utf8").split("\n");
  const out: string[] = [];
  for (const line of lines) {
    const reachedSeq = /MISSION_ITEM_REACHED seq=(\d+)/.exec(line);
    const text = /STATUSTEXT sev=\d+ "((?:Mission: |Reached command).*)"/.exec(line);
    if (reachedSeq) out.push(`reached ${reachedSeq[1]}`);
    else if (text) out.push(text[1]!);
  }
  return out;
}

/** A crude copter: flies straight at the target at 10 m/s, climbs/descends at 2.5 m/s, RTL = home then down. */
function fly(nav: NavState, target: NavTarget, dt: number): NavState {
  const toward = (lat: number, lon: number, alt: number): NavState => {
    const d = distanceM(nav.lat, nav.lon, lat, lon);
    const f = d <= 10 * dt ? 1 : (10 * dt) / d;
    const dz = Math.max(-2.5 * dt, Math.min(2.5 * dt, alt - nav.altRelative));
    const altRelative = Math.max(0, nav.altRelative + dz);
    return { ...nav, lat: nav.lat + (lat - nav.lat) * f, lon: nav.lon + (lon - nav.lon) * f, altRelative, landed: altRelative <= 0 };
  };
  switch (target.kind) {
    case "takeoff": return toward(nav.lat, nav.lon, target.altRelative);
    case "goto":
    case "loiter": return toward(target.lat, target.lon, target.altRelative);
    case "land": return toward(target.lat, target.lon, distanceM(nav.lat, nav.lon, target.lat, target.lon) < 1 ? -1 : nav.altRelative);
    case "rtl": return toward(HOME.lat, HOME.lon, distanceM(nav.lat, nav.lon, HOME.lat, HOME.lon) < 1 ? -1 : nav.altRelative);
    case "done": return nav;
  }
}

function setup() {
  const vehicle = new FakeVehicle();
  const server = new MissionServer(vehicle);
  server.load(MISSION);
  const executor = new MissionExecutor(server, vehicle);
  return { vehicle, server, executor };
}

function events(vehicle: FakeVehicle): string[] {
  return vehicle.take().flatMap((s) => {
    if (s.kind === "text") return [s.text];
    return s.name === "MISSION_ITEM_REACHED" ? [`reached ${String(s.fields.seq)}`] : [];
  });
}

describe("MissionExecutor on the recorded mission", () => {
  it("reports what ArduCopter reported, in the same order, RTL reached only on the ground", () => {
    const { vehicle, executor } = setup();
    expect(executor.missionCurrent()).toEqual({ seq: 0, total: 6, mission_state: 2, mission_mode: 0 });
    let nav: NavState = { lat: HOME.lat, lon: HOME.lon, altRelative: 29.1, groundSpeed: 0, landed: false, armed: true };
    expect(executor.start(nav)).toBe(true);
    const seen: string[] = [];
    let landedAt: string | null = null;
    for (let now = 0; now < 400_000 && executor.state !== 5; now += 200) {
      const target = executor.step(nav, now);
      seen.push(...events(vehicle));
      if (executor.current === 2) expect(executor.missionCurrent()).toEqual({ seq: 2, total: 6, mission_state: 3, mission_mode: 1 });
      if (nav.landed && landedAt === null) landedAt = seen.at(-1) ?? null;
      nav = fly(nav, target, 0.2);
    }
    const recorded = recordedAutoEvents();
    expect(recorded).toHaveLength(16);
    expect(recorded.slice(0, 3)).toEqual(["Mission: 1 Takeoff", "reached 1", "Mission: 2 WP"]);
    expect(seen).toEqual(recorded);
    expect(landedAt).toBe("reached 6");
    expect(executor.missionCurrent()).toEqual({ seq: 0, total: 6, mission_state: 5, mission_mode: 1 });
    expect(executor.step(nav, 500_000)).toEqual({ kind: "done" });
  });

  it("flies the recorded targets: takeoff to 30 m, then the square at 30 m relative", () => {
    const { executor } = setup();
    executor.start();
    const nav: NavState = { lat: HOME.lat, lon: HOME.lon, altRelative: 5, groundSpeed: 0, landed: false, armed: true };
    expect(executor.step(nav, 0)).toEqual({ kind: "takeoff", altRelative: 30 });
    const t = executor.step({ ...nav, altRelative: 29.5 }, 100);
    expect(t).toEqual({ kind: "goto", lat: 51.5082981, lon: -0.1278, altRelative: 30 });
  });
});
