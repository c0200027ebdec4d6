import { describe, expect, it } from "vitest";
import { flightTimeMs, formatFlightTime } from "./duration";
import { DASH } from "./number";

describe("flightTimeMs", () => {
  it("counts from armedSince on the given clock", () => {
    expect(flightTimeMs(1_000, 63_500)).toBe(62_500);
  });

  it("is null while disarmed and never negative", () => {
    expect(flightTimeMs(null, 5_000)).toBeNull();
    expect(flightTimeMs(Number.NaN, 5_000)).toBeNull();
    expect(flightTimeMs(6_000, 5_000)).toBe(0);
  });
});

describe("formatFlightTime", () => {
  it("shows minutes and seconds, hours when needed", () => {
    expect(formatFlightTime(0)).toBe("00:00");
    expect(formatFlightTime(999)).toBe("00:00");
    expect(formatFlightTime(62_500)).toBe("01:02");
    expect(formatFlightTime(59 * 60_000 + 59_999)).toBe("59:59");
    expect(formatFlightTime(3_723_000)).toBe("1:02:03");
  });

  it("dashes an unknown flight time", () => {
    expect(formatFlightTime(null)).toBe(DASH);
    expect(formatFlightTime(undefined)).toBe(DASH);
  });
});
