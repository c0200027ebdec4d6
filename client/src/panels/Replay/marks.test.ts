import { describe, expect, it } from "vitest";
import type { ReplayFlight, ReplayMark } from "../../../../server/protocol";
import { layoutLanes, markTitle, markTone, percentOf, timeAtFraction, MIN_RANGE_PERCENT } from "./marks";

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const span = { start: T0, end: T0 + 100_000 };
const flight = (id: number, vehicle: ReplayFlight["vehicle"], startedAt: number, endedAt: number, shiftMs = 0): ReplayFlight => ({
  id, vehicle, vehicleType: "copter", startedAt, endedAt, shiftMs, integrity: "verified", sha256: null,
});
const mark = (time: number, kind: ReplayMark["kind"], extra: Partial<ReplayMark> = {}): ReplayMark =>
  ({ time, vehicle: "1:1", kind, text: `${kind} at ${time - T0}`, ...extra });

describe("percentOf / timeAtFraction", () => {
  it("maps times to the width and back, clamped", () => {
    expect(percentOf(T0 + 25_000, span)).toBe(25);
    expect(percentOf(T0 - 1, span)).toBe(0);
    expect(percentOf(T0 + 200_000, span)).toBe(100);
    expect(timeAtFraction(0.25, span)).toBe(T0 + 25_000);
    expect(timeAtFraction(2, span)).toBe(span.end);
    expect(percentOf(T0, { start: T0, end: T0 })).toBe(0);
  });
});

describe("layoutLanes", () => {
  it("gives each vehicle a lane with where its flights exist, shifted onto the session clock", () => {
    const lanes = layoutLanes([flight(1, "1:1", T0, T0 + 50_000), flight(2, "2:1", T0 - 40_000, T0 + 10_000, 50_000)], [], span);
    expect(lanes.map((l) => l.vehicle)).toEqual(["1:1", "2:1"]);
    expect(lanes[0]?.present).toEqual([{ left: 0, width: 50 }]);
    expect(lanes[1]?.present).toEqual([{ left: 10, width: 50 }]);
  });
  it("merges close marks of one kind, never an uncommanded mode change into a commanded one, never ranges", () => {
    const marks = [
      mark(T0 + 10_000, "message", { severity: "info" }),
      mark(T0 + 10_100, "message", { severity: "critical" }),
      mark(T0 + 10_200, "mode"),
      mark(T0 + 10_300, "mode", { uncommanded: true }),
      mark(T0 + 10_300, "link_gap", { end: T0 + 10_400 }),
      mark(T0 + 10_350, "link_gap", { end: T0 + 13_000 }),
      mark(T0 + 60_000, "message", { severity: "info" }),
      mark(T0 + 1000, "armed", { vehicle: "9:1" }),
    ];
    const [lane] = layoutLanes([flight(1, "1:1", T0, T0 + 100_000)], marks, span);
    const kinds = lane?.marks.map((m) => [m.kind, m.count, m.uncommanded]);
    expect(kinds).toEqual([
      ["message", 2, false], ["mode", 1, false], ["mode", 1, true], ["link_gap", 1, false], ["link_gap", 1, false], ["message", 1, false],
    ]);
    const merged = lane?.marks[0];
    expect(merged?.tone).toBe("danger"); // the worst severity of what was merged shows
    expect(merged && markTitle(merged)).toBe("2 marks\nmessage at 10000\nmessage at 10100");
    expect(lane?.marks[3]?.width).toBe(MIN_RANGE_PERCENT); // a 100 ms gap is still visible
    expect(lane?.marks[4]?.width).toBeCloseTo(2.65);
  });
});

describe("markTone", () => {
  it("colours by severity and makes uncommanded mode changes stand out", () => {
    expect(markTone(mark(T0, "message", { severity: "warning" }))).toBe("caution");
    expect(markTone(mark(T0, "alert", { severity: "critical" }))).toBe("danger");
    expect(markTone(mark(T0, "mode", { uncommanded: true }))).toBe("caution");
    expect(markTone(mark(T0, "mode"))).toBe("info");
    expect(markTone(mark(T0, "damaged"))).toBe("danger");
  });
});
