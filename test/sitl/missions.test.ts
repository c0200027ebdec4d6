/**
 * The product's MissionClient over a real link against a vehicle: every sample mission (missions/, .waypoints and
 * .plan) and the recorded flight's mission are uploaded, verified by reading back (by what ArduPilot stores:
 * protocol/ardupilot-mission.ts), downloaded again and compared, then the vehicle is cleared. Independent of file
 * order: it waits until the vehicle has booted and leaves it as it found it (restoreVehicle). Runs against the
 * built-in simulator by default and unchanged against real ArduPilot SITL (SITL_LINKS=tcpout://127.0.0.1:5760
 * npm run test:sitl). It uses the last link, so that with the built-in fleet it does not meet the other files' vehicles.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { compareLists, missionToLists, parsePlan, parseWaypoints } from "../../server/missions";
import type { Mission } from "../../server/missions";
import { CommandClient, MissionClient } from "../../server/vehicles";
import { ClientLink } from "../helpers/mission-link";
import { T } from "./scale";
import { restoreVehicle, untilStarted } from "./vehicle";
import type { VehicleSession } from "./vehicle";

const ROOT = new URL("../../", import.meta.url).pathname;

function samples(): { name: string; plan: Mission }[] {
  const dir = join(ROOT, "missions");
  const files = readdirSync(dir).filter((f) => f.endsWith(".waypoints") || f.endsWith(".plan")).sort();
  const read = (path: string) => readFileSync(path, "utf8");
  return [
    ...files.map((f) => ({ name: `missions/${f}`, plan: f.endsWith(".plan") ? parsePlan(read(join(dir, f))) : parseWaypoints(read(join(dir, f))) })),
    { name: "test/fixtures/copter_flight_1.waypoints", plan: parseWaypoints(read(join(ROOT, "test/fixtures/copter_flight_1.waypoints"))) },
  ];
}

/** Every difference by meaning between two plans' lists (home not compared: the vehicle keeps its own). */
function differences(planned: Mission, actual: Mission): string[] {
  const a = missionToLists(planned), b = missionToLists(actual);
  return (["mission", "fence", "rally"] as const).flatMap((t) => compareLists(t, a[t], b[t]));
}

let link: ClientLink;
let session: VehicleSession;
let startMode = "STABILIZE";

beforeAll(async () => {
  link = await ClientLink.connect(inject("sitlLinks").at(-1)!);
  const ids = await link.vehicle(T(15_000));
  const state = link.track(ids);
  session = {
    target: { linkId: link.link.id, ...ids },
    state,
    commands: new CommandClient(link.deps),
    missions: new MissionClient(link.deps, { gcs: { sysid: 255, compid: 190 }, timeoutMs: T(1500) }),
  };
  startMode = (await untilStarted(session)).mode;
}, T(90_000));
afterAll(async () => {
  if (session) expect(await restoreVehicle(session, startMode)).toEqual([]);
  session?.missions.close();
  session?.commands.close();
  await link?.close();
}, T(180_000));

describe("MissionClient over a real link", () => {
  it("has every sample to try, the Westminster .plan among them", () => {
    expect(samples().length).toBeGreaterThanOrEqual(6);
    expect(samples().some((s) => s.name.endsWith(".plan") && s.plan.fence.polygons.length > 0 && s.plan.rally.length > 0)).toBe(true);
  });

  for (const { name, plan } of samples()) {
    it(`uploads, verifies and downloads ${name}`, async () => {
      const { missions, target } = session;
      const up = await missions.uploadPlan(target, plan);
      expect(up.ok ? "ok" : up.error.message).toBe("ok");
      if (!up.ok) return;
      expect(up.value.counts.mission).toBe(plan.items.length);
      expect(differences(plan, up.value.plan)).toEqual([]);
      const down = await missions.downloadPlan(target);
      expect(down.ok ? "ok" : down.error.message).toBe("ok");
      if (down.ok) expect(differences(plan, down.value)).toEqual([]);
    }, T(60_000));
  }

  it("clears mission, fence and rally lists", async () => {
    const { missions, target } = session;
    const cleared = await missions.clearPlan(target);
    expect(cleared).toEqual({ ok: true, value: undefined });
    const down = await missions.downloadPlan(target);
    expect(down.ok && [down.value.items.length, down.value.fence.polygons.length + down.value.fence.circles.length, down.value.rally.length])
      .toEqual([0, 0, 0]);
  }, T(60_000));
});
