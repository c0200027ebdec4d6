import { describe, expect, it } from "vitest";
import type { Mission, Result, VehicleMissionInfo } from "../protocol";
import { fail, ok } from "../protocol";
import { emptyVehicle } from "../vehicles";
import type { CommandGate } from "./gate";
import { MISSION_CURRENT_GRACE_MS, MissionService } from "./missions";
import type { PlanTransfers } from "./missions";

const PLAN: Mission = {
  home: null,
  items: [1, 2, 3].map((i) => ({ command: 16, frame: 3, params: [0, 0, 0, null], lat: 51.5 + i / 1000, lon: -0.12, alt: 30, autocontinue: true })),
  fence: { polygons: [], circles: [] },
  rally: [],
};
const ACTOR = { name: "pia", sessionHash: "h", address: "127.0.0.1" };

function setup(upload: () => Promise<Result<{ plan: Mission; counts: { mission: number; fence: number; rally: number } }>>) {
  let time = 1_000_000;
  const changes: VehicleMissionInfo[] = [];
  const audited: string[] = [];
  const vehicle = emptyVehicle({ sysid: 1, compid: 1 }, time);
  const gate = {
    authorise: () => ok({ target: { linkId: "l", sysid: 1, compid: 1 }, vehicle }),
    route: () => ({ ok: true, target: { linkId: "l", sysid: 1, compid: 1 }, vehicle }),
    record: (_k: string, _a: unknown, action: string, result: string) => audited.push(`${action}:${result}`),
  } as unknown as CommandGate;
  let busy = false;
  const transfers: PlanTransfers = {
    uploadPlan: upload, downloadPlan: async () => ok(PLAN), clearPlan: async () => ok(undefined), busy: () => busy,
  };
  const service = new MissionService({ gate, transfers, clock: () => time, progress: () => undefined, changed: (i) => changes.push(i) });
  return { service, changes, audited, vehicle, advance: (ms: number) => { time += ms; }, setBusy: (b: boolean) => { busy = b; } };
}

describe("what the ground station knows is on a vehicle", () => {
  it("a verified upload is known; a vehicle later counting another number of items makes it unknown", async () => {
    const s = setup(async () => ok({ plan: PLAN, counts: { mission: 3, fence: 0, rally: 0 } }));
    expect(await s.service.upload("1:1", PLAN, ACTOR)).toMatchObject({ ok: true, value: { counts: { mission: 3 } } });
    expect(s.service.planOf("1:1")).toEqual(PLAN);
    expect(s.audited).toEqual(["mission_upload:started", "mission_upload:verified"]);
    // The old count, just after the upload: not yet evidence of a change.
    const old = { ...s.vehicle, mission: { current: 1, total: 6, reached: [], state: "active" as const } };
    s.service.observe([old]);
    expect(s.service.planOf("1:1")).toEqual(PLAN);
    s.advance(MISSION_CURRENT_GRACE_MS + 1);
    s.service.observe([{ ...old, mission: { ...old.mission, total: 3 } }]);
    expect(s.service.planOf("1:1")).toEqual(PLAN);
    s.service.observe([old]);
    expect(s.service.planOf("1:1")).toBeNull();
    expect(s.changes.at(-1)).toEqual({ key: "1:1", plan: null, verifiedAt: null, source: null, by: null });
  });

  it("a failed upload leaves nothing believed on the vehicle, and is audited with the reason", async () => {
    const s = setup(async () => fail("mission_timeout", "No answer from the vehicle for item 3 after 4 tries"));
    await s.service.download("1:1", ACTOR);
    expect(s.service.planOf("1:1")).toEqual(PLAN);
    const r = await s.service.upload("1:1", PLAN, ACTOR);
    expect(r).toEqual({ ok: false, error: { code: "mission_timeout", message: "No answer from the vehicle for item 3 after 4 tries" } });
    expect(s.service.planOf("1:1")).toBeNull();
    expect(s.changes.map((c) => c.plan === null)).toEqual([false, true]);
    expect(s.audited).toEqual(["mission_upload:started", "mission_upload:failed"]);
    // The fence stays checked against the last one verified, though the plan is no longer known.
    expect(s.service.fenceOf("1:1")).toEqual(PLAN.fence);
  });

  it("an upload refused because another transfer runs changes nothing that is known", async () => {
    const s = setup(async () => ok({ plan: PLAN, counts: { mission: 3, fence: 0, rally: 0 } }));
    await s.service.download("1:1", ACTOR);
    s.setBusy(true);
    expect(await s.service.upload("1:1", PLAN, ACTOR)).toMatchObject({ ok: false, error: { code: "mission_busy" } });
    expect(await s.service.clear("1:1", ACTOR)).toMatchObject({ ok: false, error: { code: "mission_busy" } });
    expect(s.service.planOf("1:1")).toEqual(PLAN);
    expect(s.audited).toEqual([]);
  });
});
