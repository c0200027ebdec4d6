/**
 * A vehicle still starting: ArduPilot counts no mission storage until it has initialised, and answers an upload
 * with NO_SPACE and "Only 0 items are supported". The pilot must hear "still starting", never "no room".
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAV_MISSION_RESULT } from "../mavlink";
import { parsePlan } from "../missions";
import type { ListItem } from "../missions";
import type { MissionType } from "../protocol";
import type { CommandTarget } from "./commands";
import type { TransferOutcome } from "./missions-exchange";
import { MissionClient } from "./missions";
import { BOOT_WAIT, uploadPlan } from "./missions-plan";
import type { ListOps } from "./missions-plan";
import { Rig } from "../../test/support/vehicles/rig";

const TARGET: CommandTarget = { linkId: "sim", sysid: 1, compid: 1 };
const PLAN = parsePlan(readFileSync(new URL("../../missions/westminster-bridge-overwatch.plan", import.meta.url).pathname, "utf8"));

describe("uploading to a vehicle that is still starting", () => {
  it("waits for the simulated ArduCopter's mission storage and then uploads and verifies the plan", async () => {
    const rig = new Rig();
    const missions = new MissionClient(rig.deps);
    rig.deliver({ kind: "gcsHeartbeat" });
    // At once: the vehicle has not said "ArduPilot Ready" yet.
    expect(rig.vehicle.boot.has("ready")).toBe(false);
    const { value } = await rig.until(missions.uploadPlan(TARGET, PLAN));
    expect(value.ok ? "ok" : value.error.message).toBe("ok");
    const refusals = rig.heard.filter((d) => d.message.kind === "missionAck" && d.message.result === MAV_MISSION_RESULT.NO_SPACE);
    expect(refusals).toHaveLength(1);
    expect(rig.heard.some((d) => d.message.kind === "statusText" && d.message.text === "Only 0 items are supported")).toBe(true);
  });
});

/** List transfers of a vehicle whose mission list always gets NO_SPACE; `starting` says whether it is booting. */
function noSpaceOps(starting: boolean): ListOps & { waits: number; uploads: number } {
  const refused: TransferOutcome<void> = {
    ok: false, code: "refused", message: "The vehicle has no room for 6 items", resends: 0, result: MAV_MISSION_RESULT.NO_SPACE,
  };
  const ops = {
    waits: 0,
    uploads: 0,
    upload: async (type: MissionType, _items: readonly ListItem[]) => {
      ops.uploads += 1;
      return type === "mission" ? refused : { ok: true as const, value: undefined, resends: 0 };
    },
    download: async () => ({ ok: true as const, value: [], resends: 0 }),
    clear: async () => ({ ok: true as const, value: undefined, resends: 0 }),
    wait: async (ms: number) => {
      ops.waits += ms;
    },
    starting: () => starting,
  };
  return ops;
}

describe("the plan upload's answer to NO_SPACE", () => {
  it("says the vehicle is still starting after a bounded wait, not that it has no room", async () => {
    const ops = noSpaceOps(true);
    const result = await uploadPlan(ops, PLAN);
    expect(result).toEqual({ ok: false, error: {
      code: "vehicle_starting",
      message: "The vehicle is still starting (its mission storage is not ready yet): retry in a few seconds",
    } });
    expect(ops.waits).toBe(BOOT_WAIT.maxMs);
    expect(ops.uploads).toBe(BOOT_WAIT.maxMs / BOOT_WAIT.stepMs + 1);
  });

  it("says there is no room when the vehicle is up and still refuses", async () => {
    const ops = noSpaceOps(false);
    const result = await uploadPlan(ops, PLAN);
    expect(result).toEqual({ ok: false, error: {
      code: "mission_refused", message: "Upload of the mission list failed: The vehicle has no room for 6 items",
    } });
    expect(ops.uploads).toBe(1);
  });
});
