import { describe, expect, it } from "vitest";
import { formatBootTime, formatOffset, formatUtc } from "./format";

describe("replay clocks", () => {
  it("shows the session clock in UTC to the millisecond", () => {
    expect(formatUtc(Date.UTC(2026, 10, 21, 10, 14, 3, 250))).toBe("2026-11-21T10:14:03.250Z");
    expect(formatUtc(Number.NaN)).toBe("—");
  });
  it("shows a vehicle's boot clock", () => {
    expect(formatBootTime(3_723_045)).toBe("1:02:03.045");
    expect(formatBootTime(-1)).toBe("—");
  });
  it("shows the time into the session", () => {
    expect(formatOffset(723_450)).toBe("12:03.4");
    expect(formatOffset(3_723_000)).toBe("1:02:03.0");
    expect(formatOffset(-5)).toBe("0:00.0");
  });
});
