import { describe, expect, it, vi } from "vitest";
import { makeVehicle, snapshotOf, T0 } from "../test/vehicles";
import { createAppStore } from "./store";

function storeWithVehicle() {
  const store = createAppStore();
  store.getState().applyEvents([{ kind: "snapshot", snapshot: snapshotOf([makeVehicle(1), makeVehicle(2)]), receivedAt: T0 }]);
  return store;
}

describe("createAppStore", () => {
  it("applies a batch as one update and ignores empty batches", () => {
    const store = createAppStore();
    const listener = vi.fn();
    store.subscribe(listener);
    store.getState().applyEvents([]);
    expect(listener).not.toHaveBeenCalled();
    store.getState().applyEvents([{ kind: "snapshot", snapshot: snapshotOf([makeVehicle(1)]), receivedAt: T0 }]);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("selects, follows only with a selection, and stops following when the selection is cleared", () => {
    const store = storeWithVehicle();
    store.getState().setFollow(true);
    expect(store.getState().follow).toBe(false);
    store.getState().select("1:1");
    store.getState().setFollow(true);
    expect(store.getState().follow).toBe(true);
    store.getState().select("2:1"); // following moves to the new selection
    expect(store.getState()).toMatchObject({ selectedKey: "2:1", follow: true });
    store.getState().select(null);
    expect(store.getState()).toMatchObject({ selectedKey: null, follow: false });
  });

  it("marks the config loaded", () => {
    const store = createAppStore();
    expect(store.getState().configLoaded).toBe(false);
    store.getState().setConfig({ tileUrl: "https://tiles/{z}/{x}/{y}.png", tileAttribution: "x", tickMs: 200, lostAfterMs: 3000, version: "1.2.3" });
    expect(store.getState()).toMatchObject({ configLoaded: true, config: { lostAfterMs: 3000 } });
  });

  it("clears trails on request only, and reset forgets vehicles too", () => {
    const store = storeWithVehicle();
    expect(Object.keys(store.getState().trails)).toHaveLength(2);
    store.getState().clearTrails();
    expect(store.getState().trails).toEqual({});
    expect(Object.keys(store.getState().vehicles)).toHaveLength(2);
    store.getState().reset();
    expect(store.getState().vehicles).toEqual({});
  });
});
