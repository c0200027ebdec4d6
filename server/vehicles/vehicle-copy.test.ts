import { describe, expect, it } from "vitest";
import { copyVehicle, mergeVehicle, patchVehicle } from "../protocol";
import type { VehicleState } from "../protocol";
import { EVERY_FIELD as every } from "../../test/support/vehicles/every-field";

describe("copyVehicle", () => {
  it("copies every field of a vehicle, as a spread does, into a new object sharing the fields' values", () => {
    const copy = copyVehicle(every);
    expect(copy).toStrictEqual({ ...every });
    expect(copy).not.toBe(every);
    expect(copy.position).toBe(every.position);
    expect(Object.keys(copy).sort()).toEqual(Object.keys(every).sort());
  });

  it("leaves absent optional fields absent, and keeps those set to null", () => {
    const { batteryState: _b, fence: _f, sensorsUnhealthy: _s, ...required } = every;
    const bare: VehicleState = required;
    expect(copyVehicle(bare)).toStrictEqual(bare);
    expect("fence" in copyVehicle(bare)).toBe(false);
    const nulls: VehicleState = { ...bare, batteryState: null, fence: null };
    expect(copyVehicle(nulls)).toStrictEqual(nulls);
  });
});

describe("patchVehicle and mergeVehicle", () => {
  it("set a patch's fields on a copy, leaving the screen's copy as it was", () => {
    const prev = copyVehicle(every);
    const next = patchVehicle(prev, { key: "7:1", mode: "RTL", position: null });
    expect(next).toStrictEqual({ ...every, mode: "RTL", position: null });
    expect(prev).toStrictEqual({ ...every });
    expect(mergeVehicle(prev, { key: "7:1", armed: false })).toStrictEqual({ ...every, armed: false });
  });

  it("add an optional field the copy did not have yet", () => {
    const { fence: _f, ...noFence } = every;
    expect(mergeVehicle(noFence, { key: "7:1", fence: { breached: true, breachCount: 1, breachType: "boundary" } }))
      .toStrictEqual({ ...noFence, fence: { breached: true, breachCount: 1, breachType: "boundary" } });
  });

  it("take a whole vehicle as it is, and cannot use a partial one without a copy", () => {
    expect(mergeVehicle(undefined, every)).toBe(every);
    expect(mergeVehicle(undefined, { key: "7:1", mode: "RTL" })).toBeNull();
  });
});
