/**
 * MissionClient against the real built-in simulated ArduCopter (sitl/sim) on a virtual clock, bytes both ways
 * through the real encoder / framer / decoder; faults are packets the test drops or rewrites on the link.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAV_MISSION_RESULT } from "../mavlink";
import type { Decoded, OutgoingMessage } from "../mavlink";
import { compareLists, missionToLists, parseWaypoints } from "../missions";
import type { Mission } from "../missions";
import type { MissionServer } from "../../sitl/sim/mission";
import type { CommandTarget } from "./commands";
import { MissionClient } from "./missions";
import type { PlanProgress } from "./missions-plan";
import { Rig } from "../../test/support/vehicles/rig";
import type { RigOptions } from "../../test/support/vehicles/rig";

const TARGET: CommandTarget = { linkId: "sim", sysid: 1, compid: 1 };
const FLIGHT_1 = parseWaypoints(readFileSync(new URL("../../test/fixtures/copter_flight_1.waypoints", import.meta.url), "utf8"));
/** The recorded mission with a fence (an inclusion square, an exclusion circle) and two rally points. */
const WESTMINSTER: Mission = {
  ...FLIGHT_1,
  fence: {
    polygons: [{ inclusion: true, points: [
      { lat: 51.5035, lon: -0.129 }, { lat: 51.5035, lon: -0.118 }, { lat: 51.4985, lon: -0.118 }, { lat: 51.4985, lon: -0.129 },
    ] }],
    circles: [{ inclusion: false, center: { lat: 51.50105, lon: -0.12448 }, radius: 40 }],
  },
  rally: [{ lat: 51.50041, lon: -0.1225, alt: 30 }, { lat: 51.5016, lon: -0.1233, alt: 30 }],
};
const MISSION_LIST = missionToLists(FLIGHT_1).mission;

async function rigWith(opts: RigOptions = {}): Promise<{ rig: Rig; missions: MissionClient }> {
  const rig = new Rig(opts);
  await rig.start();
  return { rig, missions: new MissionClient(rig.deps) };
}

const sentOf = (rig: Rig, kind: OutgoingMessage["kind"]): OutgoingMessage[] => rig.sent.filter((m) => m.kind === kind);
const heardOf = (rig: Rig, kind: Decoded["message"]["kind"]): Decoded[] => rig.heard.filter((d) => d.message.kind === kind);
const isItem = (seq: number) => (m: OutgoingMessage): boolean => m.kind === "missionItemInt" && m.seq === seq;

describe("MissionClient against the simulated ArduCopter", () => {
  it("uploads a plan answering ArduPilot's MISSION_REQUEST, verifies it by reading it back, reports progress", async () => {
    const { rig, missions } = await rigWith();
    const progress: PlanProgress[] = [];
    const { value } = await rig.until(missions.uploadPlan(TARGET, FLIGHT_1, (p) => progress.push(p)));
    expect(value.ok).toBe(true);
    if (!value.ok) return;
    expect(value.value.counts).toEqual({ mission: 6, fence: 0, rally: 0 });
    expect(compareLists("mission", MISSION_LIST, missionToLists(value.value.plan).mission)).toEqual([]);
    // Home read back is the vehicle's own.
    expect(value.value.plan.home).toMatchObject({ lat: 51.5073998, lon: -0.1278 });
    const requests = heardOf(rig, "missionRequest").map((d) => d.message);
    expect(requests.filter((m) => m.kind === "missionRequest" && m.missionType === 0)).toHaveLength(7);
    expect(requests.every((m) => m.kind === "missionRequest" && !m.int)).toBe(true);
    expect(sentOf(rig, "missionItemInt")).toHaveLength(7);
    expect(rig.vehicle.mission!.server.items()).toHaveLength(7);
    expect(progress.filter((p) => p.stage === "transfer" && p.missionType === "mission").map((p) => p.done))
      .toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(progress.some((p) => p.stage === "verifying" && p.missionType === "rally")).toBe(true);
    expect(progress.at(-1)).toMatchObject({ stage: "done", direction: "upload", done: 7, total: 7 });
    const down = await rig.until(missions.downloadPlan(TARGET));
    expect(down.value.ok && down.value.value.items).toEqual(value.value.plan.items);
  });

  it("answers a vehicle that asks with MISSION_REQUEST_INT", async () => {
    const { rig, missions } = await rigWith({ mission: { requestInt: true } });
    const { value } = await rig.until(missions.upload(TARGET, "mission", MISSION_LIST));
    expect(value).toEqual({ ok: true, value: undefined, resends: 0 });
    expect(heardOf(rig, "missionRequest").every((d) => d.message.kind === "missionRequest" && d.message.int)).toBe(true);
  });

  it("a count of 0 is answered by an ack alone", async () => {
    const { rig, missions } = await rigWith();
    const { value } = await rig.until(missions.upload(TARGET, "rally", []));
    expect(value.ok).toBe(true);
    expect(heardOf(rig, "missionRequest")).toEqual([]);
  });

  it("an item lost on the way is sent again when the vehicle asks again", async () => {
    const { rig, missions } = await rigWith();
    let dropped = false;
    rig.dropWhen = (m) => (isItem(2)(m) && !dropped ? (dropped = true) : false);
    const { value } = await rig.until(missions.upload(TARGET, "mission", MISSION_LIST));
    expect(value.ok).toBe(true);
    expect(rig.sent.filter(isItem(2))).toHaveLength(2);
  });

  it("a lost MISSION_REQUEST: the vehicle asks again and the upload goes on", async () => {
    const { rig, missions } = await rigWith();
    let dropped = false;
    rig.dropFromVehicle = (d) => (d.message.kind === "missionRequest" && d.message.seq === 3 && !dropped ? (dropped = true) : false);
    const { value, elapsed } = await rig.until(missions.upload(TARGET, "mission", MISSION_LIST));
    expect(value).toMatchObject({ ok: true, resends: 0 });
    expect(rig.sent.filter(isItem(3))).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(1000); // ArduPilot re-requests after 1 s, before our 1.5 s
  });

  it("a lost MISSION_COUNT is sent again after 1.5 s", async () => {
    const { rig, missions } = await rigWith();
    rig.dropWhen = (m) => m.kind === "missionCount" && sentOf(rig, "missionCount").length === 1;
    const { value, elapsed } = await rig.until(missions.upload(TARGET, "mission", MISSION_LIST));
    expect(value).toMatchObject({ ok: true, resends: 1 });
    expect(sentOf(rig, "missionCount")).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(1500);
    expect(elapsed).toBeLessThan(2000);
  });

  it("NO_SPACE from a small vehicle says how many items did not fit", async () => {
    const { rig, missions } = await rigWith({ mission: { capacity: 3 } });
    const { value } = await rig.until(missions.upload(TARGET, "mission", MISSION_LIST));
    expect(value).toMatchObject({ ok: false, code: "refused", result: 4, message: "The vehicle has no room for 7 items" });
    const plan = await rig.until(missions.uploadPlan(TARGET, FLIGHT_1));
    expect(plan.value).toEqual({ ok: false, error: {
      code: "mission_refused", message: "Upload of the mission list failed: The vehicle has no room for 7 items",
    } });
  });

  it("other refusals in words: DENIED, and OPERATION_CANCELLED when the vehicle times out", async () => {
    const denied = await rigWith({ mission: { refuseUploads: MAV_MISSION_RESULT.DENIED } });
    const d = await denied.rig.until(denied.missions.upload(TARGET, "fence", missionToLists(WESTMINSTER).fence));
    expect(d.value).toMatchObject({ ok: false, code: "refused", result: 14 });
    expect(!d.value.ok && d.value.message).toMatch(/^The vehicle refused the transfer \(busy/);
    const { rig, missions } = await rigWith();
    rig.dropWhen = isItem(1); // the vehicle never gets item 1 however often it asks
    const c = await rig.until(missions.upload(TARGET, "mission", MISSION_LIST));
    expect(c.value).toMatchObject({
      ok: false, code: "refused", result: 15, message: "The vehicle cancelled the transfer (timeout on its side) (at item 2 of 7): "
        + "the vehicle now holds its first item from this upload, then what was left of its previous list; read the mission list back before flying",
    });
  });

  it("a silent vehicle: MISSION_COUNT 4 times, then a timeout that says so", async () => {
    const { rig, missions } = await rigWith();
    rig.deaf = true;
    const { value, elapsed } = await rig.until(missions.upload(TARGET, "mission", MISSION_LIST));
    expect(value).toMatchObject({
      ok: false, code: "timeout", resends: 3, message: "The vehicle did not answer the upload of the mission list (4 tries)",
    });
    expect(elapsed).toBe(6000);
    expect(sentOf(rig, "missionCount")).toHaveLength(4);
    const down = await rig.until(missions.download(TARGET, "fence", { retries: 1, timeoutMs: 500 }));
    expect(down.value).toMatchObject({ ok: false, code: "timeout", message: "The vehicle did not answer the request for the fence list (2 tries)" });
    expect(down.elapsed).toBe(1000);
  });

  it("uploads and downloads fence and rally lists (polygon, circle, rally points)", async () => {
    const { rig, missions } = await rigWith();
    const up = await rig.until(missions.uploadPlan(TARGET, WESTMINSTER));
    expect(up.value.ok && up.value.value.counts).toEqual({ mission: 6, fence: 5, rally: 2 });
    const fence = await rig.until(missions.download(TARGET, "fence"));
    expect(fence.value.ok && fence.value.value.map((i) => [i.command, i.params[0]])).toEqual([
      [5001, 4], [5001, 4], [5001, 4], [5001, 4], [5004, 40],
    ]);
    const rally = await rig.until(missions.download(TARGET, "rally"));
    expect(rally.value.ok && rally.value.value.map((i) => [i.command, i.lat, i.lon, i.alt])).toEqual([
      [5100, 51.50041, -0.1225, 30], [5100, 51.5016, -0.1233, 30],
    ]);
    const plan = await rig.until(missions.downloadPlan(TARGET));
    expect(plan.value.ok && plan.value.value.fence).toEqual(WESTMINSTER.fence);
    expect(plan.value.ok && plan.value.value.rally).toEqual(WESTMINSTER.rally);
  });

  it("re-requests an item lost on its way back during a download", async () => {
    const { rig, missions } = await rigWith();
    await rig.until(missions.upload(TARGET, "mission", MISSION_LIST));
    let dropped = false;
    rig.dropFromVehicle = (d) => (d.message.kind === "missionItem" && d.message.seq === 4 && !dropped ? (dropped = true) : false);
    const { value } = await rig.until(missions.download(TARGET, "mission"));
    expect(value).toMatchObject({ ok: true, resends: 1 });
    expect(value.ok && value.value).toHaveLength(7);
    expect(sentOf(rig, "missionAck").at(-1)).toMatchObject({ result: 0, missionType: 0 });
  });

  it("clears all three lists", async () => {
    const { rig, missions } = await rigWith();
    expect((await rig.until(missions.uploadPlan(TARGET, WESTMINSTER))).value.ok).toBe(true);
    const progress: PlanProgress[] = [];
    const { value } = await rig.until(missions.clearPlan(TARGET, (p) => progress.push(p)));
    expect(value).toEqual({ ok: true, value: undefined });
    expect(sentOf(rig, "missionClearAll").map((m) => m.kind === "missionClearAll" && m.missionType)).toEqual([0, 1, 2]);
    for (const type of [0, 1, 2]) expect((rig.vehicle.mission!.server as MissionServer).items(type)).toEqual([]);
    expect(progress.at(-1)).toMatchObject({ direction: "clear", stage: "done" });
  });

  it("sets the current item, confirmed by MISSION_CURRENT; an item that does not exist times out", async () => {
    const { rig, missions } = await rigWith();
    await rig.until(missions.upload(TARGET, "mission", MISSION_LIST));
    const { value } = await rig.until(missions.setCurrent(TARGET, 3));
    expect(value).toMatchObject({ ok: true, resends: 0 });
    expect(rig.vehicle.mission!.executor.current).toBe(3);
    const missing = await rig.until(missions.setCurrent(TARGET, 40, { retries: 1 }));
    expect(missing.value).toMatchObject({ ok: false, code: "timeout" });
    expect(!missing.value.ok && missing.value.message).toMatch(/did not move to mission item 40 \(2 tries\)/);
  });

  it("a vehicle that stores something else than it was sent fails the verification, naming the difference", async () => {
    const { rig, missions } = await rigWith();
    rig.rewrite = (m) => (m.kind === "missionItemInt" && m.seq === 2 ? { ...m, z: m.z + 5 } : m);
    const progress: PlanProgress[] = [];
    const { value } = await rig.until(missions.uploadPlan(TARGET, FLIGHT_1, (p) => progress.push(p)));
    expect(value).toEqual({ ok: false, error: {
      code: "mission_mismatch",
      message: "The vehicle did not store the plan as sent: mission item 2: altitude 35 m on the vehicle, 30 m planned",
    } });
    expect(progress.at(-1)).toMatchObject({ stage: "failed", message: expect.stringContaining("altitude 35 m") });
  });

  it("a lost final ack: the re-sent last item is refused, the read-back settles it", async () => {
    const { rig, missions } = await rigWith();
    let dropped = false;
    rig.dropFromVehicle = (d) => (d.message.kind === "missionAck" && !dropped ? (dropped = true) : false);
    const { value } = await rig.until(missions.upload(TARGET, "mission", MISSION_LIST));
    expect(value).toMatchObject({ ok: false, code: "unconfirmed" });
    dropped = false;
    const plan = await rig.until(missions.uploadPlan(TARGET, FLIGHT_1));
    expect(plan.value.ok).toBe(true);
  });

  it("one transfer per vehicle: a second request while one runs is refused in words", async () => {
    const { rig, missions } = await rigWith();
    const first = missions.uploadPlan(TARGET, WESTMINSTER);
    const second = await missions.download(TARGET, "mission");
    expect(second).toEqual({
      ok: false, code: "busy", resends: 0,
      message: "Another mission transfer with this vehicle is in progress (upload of a plan): try again when it has finished",
    });
    const third = await missions.clearPlan(TARGET);
    expect(third).toMatchObject({ ok: false, error: { code: "mission_busy" } });
    expect((await rig.until(first)).value.ok).toBe(true);
    expect((await rig.until(missions.download(TARGET, "rally"))).value.ok).toBe(true);
    // Another vehicle is not blocked by this one's transfer.
    expect(missions.busy({ ...TARGET, sysid: 2 })).toBe(false);
  });

  it("close() ends a running transfer at once", async () => {
    const { rig, missions } = await rigWith();
    rig.deaf = true;
    const pending = missions.upload(TARGET, "mission", MISSION_LIST);
    missions.close();
    expect(await pending).toMatchObject({ ok: false, code: "closed" });
  });
});
