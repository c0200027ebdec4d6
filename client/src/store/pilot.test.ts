import { describe, expect, it } from "vitest";
import type { Alert } from "../../../server/protocol";
import { T0 } from "../test/vehicles";
import { applyEvents, initialData } from "./reducers";
import { SERVER_ALERTS_MAX, upsertAlerts } from "./pilot";

const alert = (id: number, over: Partial<Alert> = {}): Alert => ({
  id, key: "1:1", rule: "statustext", severity: "warning", text: `text ${id}`, raisedAt: T0 + id, count: 1,
  updatedAt: T0 + id, clearedAt: null, clearReason: null, acknowledgedBy: null, acknowledgedAt: null, ...over,
});

describe("server alerts, missions and progress in the store", () => {
  it("replaces an alert by id (cleared, acknowledged), newest first", () => {
    const a = upsertAlerts([], [alert(1), alert(2)]);
    expect(a.map((x) => x.id)).toEqual([2, 1]);
    const b = upsertAlerts(a, [alert(1, { clearedAt: T0 + 9 })]);
    expect(b.map((x) => [x.id, x.clearedAt])).toEqual([[2, null], [1, T0 + 9]]);
  });

  it("bounds the list, dropping settled alerts before open ones", () => {
    const settled = Array.from({ length: SERVER_ALERTS_MAX }, (_, i) =>
      alert(i + 10, { clearedAt: 1, acknowledgedBy: "p", acknowledgedAt: 2 }));
    const openOld = alert(1, { raisedAt: 0 });
    const merged = upsertAlerts(upsertAlerts([], settled), [openOld]);
    expect(merged).toHaveLength(SERVER_ALERTS_MAX);
    expect(merged.some((a) => a.id === 1)).toBe(true);
  });

  it("folds alert, mission and progress events, and takes both from a snapshot", () => {
    const info = { key: "1:1" as const, plan: null, verifiedAt: null, source: null, by: null };
    let s = applyEvents(initialData(), [
      { kind: "snapshot", receivedAt: T0, snapshot: { time: T0, vehicles: [], links: [], trails: {}, alerts: [alert(3)], missions: { "1:1": info } } },
      { kind: "alert", alert: alert(4) },
      { kind: "missionProgress", event: { key: "1:1", direction: "upload", missionType: "mission", done: 2, total: 7, stage: "transfer" } },
      { kind: "commandProgress", event: { key: "1:1", command: "takeoff", progress: 40 } },
    ]);
    expect(s.serverAlerts.map((a) => a.id)).toEqual([4, 3]);
    expect(s.missions["1:1"]).toEqual(info);
    expect(s.missionProgress["1:1"]?.done).toBe(2);
    expect(s.commandProgress["1:1"]?.progress).toBe(40);
    const verified = { ...info, plan: { home: null, items: [], fence: { polygons: [], circles: [] }, rally: [] }, verifiedAt: T0, source: "upload" as const, by: "p" };
    s = applyEvents(s, [{ kind: "missionVehicle", info: verified }]);
    expect(s.missions["1:1"]?.by).toBe("p");
  });
});
