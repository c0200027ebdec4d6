import { describe, expect, it } from "vitest";
import type { Alert } from "../../../../server/protocol";
import { activeBadge, alertPhase, orderAlerts, unacknowledged } from "./alertState";

const alert = (id: number, raisedAt: number, over: Partial<Alert> = {}): Alert => ({
  id, key: "1:1", rule: "battery_low", severity: "warning", text: `alert ${id}`, raisedAt,
  count: 1, updatedAt: raisedAt, clearedAt: null, clearReason: null, acknowledgedBy: null, acknowledgedAt: null, ...over,
});

describe("alert phases and order", () => {
  it("names each phase", () => {
    expect(alertPhase(alert(1, 0))).toBe("active");
    expect(alertPhase(alert(1, 0, { acknowledgedBy: "p", acknowledgedAt: 5 }))).toBe("active_acknowledged");
    expect(alertPhase(alert(1, 0, { clearedAt: 5 }))).toBe("cleared_unacknowledged");
    expect(alertPhase(alert(1, 0, { clearedAt: 5, acknowledgedBy: "p", acknowledgedAt: 6 }))).toBe("settled");
  });

  it("puts unacknowledged active alerts first, settled ones last, newest first within a phase", () => {
    const settled = alert(1, 400, { clearedAt: 500, acknowledgedBy: "p", acknowledgedAt: 600 });
    const cleared = alert(2, 300, { clearedAt: 350 });
    const acked = alert(3, 450, { acknowledgedBy: "p", acknowledgedAt: 460 });
    const activeOld = alert(4, 100);
    const activeNew = alert(5, 200);
    expect(orderAlerts([settled, cleared, acked, activeOld, activeNew]).map((a) => a.id)).toEqual([5, 4, 2, 3, 1]);
    expect(unacknowledged([settled, cleared, acked, activeOld, activeNew])).toBe(3);
  });
});

describe("the alerts badge", () => {
  it("counts alerts still active, not cleared ones; hot while one is not acknowledged", () => {
    const cleared = alert(1, 100, { clearedAt: 150 });
    const settled = alert(2, 100, { clearedAt: 150, acknowledgedBy: "p", acknowledgedAt: 160 });
    const ackedActive = alert(3, 200, { acknowledgedBy: "p", acknowledgedAt: 210 });
    expect(activeBadge([cleared, settled])).toEqual({ count: 0, hot: false, title: "0 active, 0 of them not acknowledged, 1 cleared, not acknowledged" });
    expect(activeBadge([cleared, settled, ackedActive])).toMatchObject({ count: 1, hot: false });
    expect(activeBadge([cleared, ackedActive, alert(4, 300)])).toMatchObject({ count: 2, hot: true });
  });
});
