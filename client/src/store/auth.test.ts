import { describe, expect, it } from "vitest";
import { makeVehicle, snapshotOf, T0 } from "../test/vehicles";
import { createAppStore } from "./store";

const pilot = { name: "pia", roles: ["pilot" as const] };

describe("auth slice", () => {
  it("starts checking, then signs in", () => {
    const store = createAppStore();
    expect(store.getState().auth).toEqual({ status: "checking", user: null, reason: null });
    store.getState().signedIn(pilot);
    expect(store.getState().auth).toEqual({ status: "signed_in", user: pilot, reason: null });
  });

  it("signing out keeps the reason and forgets the live data and the admin view", () => {
    const store = createAppStore();
    store.getState().signedIn(pilot);
    store.getState().setView("admin");
    store.getState().applyEvents([
      { kind: "snapshot", snapshot: { ...snapshotOf([makeVehicle(1)]), control: { "1:1": { holder: "pia", since: T0 } } }, receivedAt: T0 },
    ]);
    store.getState().signedOut("expired");
    const s = store.getState();
    expect(s.auth).toEqual({ status: "signed_out", user: null, reason: "expired" });
    expect(s.vehicles).toEqual({});
    expect(s.control).toEqual({});
    expect(s.view).toBe("map");
  });

  it("reset keeps who is signed in", () => {
    const store = createAppStore();
    store.getState().signedIn(pilot);
    store.getState().reset();
    expect(store.getState().auth.status).toBe("signed_in");
  });
});

describe("control state", () => {
  it("takes the holders from the snapshot, and keeps them when a snapshot has none", () => {
    const store = createAppStore();
    const held = { "1:1": { holder: "pia", since: T0 } };
    store.getState().applyEvents([{ kind: "snapshot", snapshot: { ...snapshotOf([makeVehicle(1)]), control: held }, receivedAt: T0 }]);
    expect(store.getState().control).toEqual(held);
    store.getState().applyEvents([{ kind: "snapshot", snapshot: snapshotOf([makeVehicle(1)]), receivedAt: T0 }]);
    expect(store.getState().control).toEqual(held);
  });

  it("control:state replaces the whole table (a released vehicle is absent)", () => {
    const store = createAppStore();
    store.getState().applyEvents([{ kind: "control", control: { "1:1": { holder: "pia", since: T0 }, "2:1": { holder: "max", since: T0 } } }]);
    store.getState().applyEvents([{ kind: "control", control: { "2:1": { holder: "max", since: T0 } } }]);
    expect(store.getState().control).toEqual({ "2:1": { holder: "max", since: T0 } });
  });
});
