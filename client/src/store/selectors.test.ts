import { describe, expect, it } from "vitest";
import { makeVehicle, snapshotOf, T0 } from "../test/vehicles";
import { applySnapshot, initialData } from "./reducers";
import { countStale, heartbeatAge, isStale, makeSelectVehicleList, selectSelectedVehicle, serverNow, watchedKeys } from "./selectors";

const LOST_AFTER = 5000;

describe("isStale", () => {
  const v = makeVehicle(1); // lastHeartbeat = T0, link ok

  it("is fresh while the heartbeat is younger than lostAfterMs", () => {
    expect(isStale(v, T0 + 4999, LOST_AFTER)).toBe(false);
    expect(isStale(v, T0 + 5000, LOST_AFTER)).toBe(false);
  });

  it("is stale once the heartbeat is older than lostAfterMs, even if the server still said ok", () => {
    expect(isStale(v, T0 + 5001, LOST_AFTER)).toBe(true);
  });

  it("is stale when the server reports the link lost", () => {
    const lost = makeVehicle(1, { link: { ...v.link, state: "lost" } });
    expect(isStale(lost, T0, LOST_AFTER)).toBe(true);
  });

  it("follows the configured lostAfterMs", () => {
    expect(isStale(v, T0 + 3000, 2000)).toBe(true);
  });
});

describe("heartbeatAge and serverNow", () => {
  it("ages on the server clock and never goes negative", () => {
    const v = makeVehicle(1);
    expect(heartbeatAge(v, T0 + 1200)).toBe(1200);
    expect(heartbeatAge(v, T0 - 50)).toBe(0);
    expect(serverNow({ clockOffsetMs: -300 }, T0)).toBe(T0 - 300);
  });

  it("counts stale vehicles", () => {
    const fresh = makeVehicle(1);
    const old = makeVehicle(2, { link: { ...fresh.link, lastHeartbeat: T0 - 10_000 } });
    expect(countStale([fresh, old], T0, LOST_AFTER)).toBe(1);
  });
});

describe("vehicle list selector", () => {
  it("sorts by sysid then compid and is memoised on the vehicles record", () => {
    const s = applySnapshot(initialData(), snapshotOf([makeVehicle(10), makeVehicle(2, {}, 5), makeVehicle(2, {}, 1)]), T0);
    const select = makeSelectVehicleList();
    const list = select(s);
    expect(list.map((v) => v.key)).toEqual(["2:1", "2:5", "10:1"]);
    expect(select({ ...s, follow: true })).toBe(list);
    expect(select({ ...s, vehicles: { ...s.vehicles } })).not.toBe(list);
  });
});

describe("selectSelectedVehicle", () => {
  it("returns the selected vehicle or null", () => {
    const s = applySnapshot(initialData(), snapshotOf([makeVehicle(1)]), T0);
    expect(selectSelectedVehicle(s)).toBeNull();
    expect(selectSelectedVehicle({ ...s, selectedKey: "1:1" })?.sysid).toBe(1);
    expect(selectSelectedVehicle({ ...s, selectedKey: "9:1" })).toBeNull();
  });
});

describe("watchedKeys", () => {
  it("is the selected vehicle and those the signed-in pilot holds, sorted, once each, at most 16", () => {
    const auth = { status: "signed_in" as const, user: { name: "pat", roles: ["pilot" as const] }, reason: null };
    const holder = (name: string) => ({ holder: name, since: T0 }) as never;
    expect(watchedKeys({ selectedKey: null, control: {}, auth })).toEqual([]);
    expect(watchedKeys({ selectedKey: "3:1", control: { "2:1": holder("pat"), "5:1": holder("sam"), "3:1": holder("pat") }, auth }))
      .toEqual(["2:1", "3:1"]);
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${i + 10}:1`, holder("pat")]));
    expect(watchedKeys({ selectedKey: null, control: many, auth })).toHaveLength(16);
    expect(watchedKeys({ selectedKey: "9:1", control: many, auth })).toContain("9:1");
    expect(watchedKeys({ selectedKey: "4:1", control: { "2:1": holder("pat") }, auth: { ...auth, user: null, status: "signed_out" } })).toEqual(["4:1"]);
  });
});
