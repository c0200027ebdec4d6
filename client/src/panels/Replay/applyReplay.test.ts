import { describe, expect, it } from "vitest";
import { createAppStore, type LiveEvent } from "../../store";
import { frameOf, makeVehicle, moved, snapshotOf, T0 } from "../../test/vehicles";
import { replayApplier } from "./applyReplay";

describe("replayApplier", () => {
  it("a snapshot after a seek replaces trails and messages instead of adding to them, keeping the selection", () => {
    const store = createAppStore();
    const apply = replayApplier(store);
    const v = makeVehicle(1);
    apply([{ kind: "snapshot", snapshot: snapshotOf([v]), receivedAt: T0 }]);
    apply([1, 2, 3, 4].map((i) => ({ kind: "frame", frame: frameOf([moved(v, i * 20)], i), receivedAt: T0 + i })));
    store.getState().select(v.key);
    store.getState().setFollow(true);
    const trailBefore = store.getState().trails[v.key]?.length ?? 0;
    expect(trailBefore).toBeGreaterThan(2);

    const seek: LiveEvent[] = [
      { kind: "frame", frame: frameOf([moved(v, 200)], 5), receivedAt: T0 + 5 },
      { kind: "connection", connection: { status: "connected", since: T0 } },
      { kind: "snapshot", snapshot: { ...snapshotOf([v]), trails: {} }, receivedAt: T0 + 6 },
      { kind: "frame", frame: frameOf([moved(v, 10)], 6), receivedAt: T0 + 7 },
    ];
    apply(seek);
    const s = store.getState();
    expect(s.trails[v.key]?.length ?? 0).toBeLessThan(trailBefore);
    expect(s.connection.status).toBe("connected");
    expect(s.selectedKey).toBe(v.key);
    expect(s.follow).toBe(true);
  });
  it("a batch without a snapshot is applied as the live store would", () => {
    const store = createAppStore();
    const apply = replayApplier(store);
    const v = makeVehicle(2);
    apply([{ kind: "snapshot", snapshot: snapshotOf([v]), receivedAt: T0 }]);
    apply([{ kind: "frame", frame: frameOf([moved(v, 50)], 1), receivedAt: T0 + 1 }]);
    expect(store.getState().lastFrameSeq).toBe(1);
  });
});
