import { describe, expect, it } from "vitest";
import { DASH, formatNumber } from "./number";
import {
  formatAltitude,
  formatClimb,
  formatCoordinates,
  formatDistance,
  formatHeading,
  formatRatioPercent,
  formatSpeed,
  formatVoltage,
} from "./units";

// Formatters put a narrow no-break space between value and unit; compare with plain spaces.
const plain = (s: string) => s.replace(/\u202f/g, " ");

describe("formatNumber", () => {
  it("shows a dash for null, undefined and non-finite values, never zero", () => {
    expect(formatNumber(null)).toBe(DASH);
    expect(formatNumber(undefined)).toBe(DASH);
    expect(formatNumber(Number.NaN)).toBe(DASH);
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe(DASH);
    expect(formatNumber(0)).toBe("0");
  });

  it("never shows minus zero", () => {
    expect(formatNumber(-0.01, 1)).toBe("0.0");
    expect(formatNumber(-0.2, 0)).toBe("0");
  });
});

describe("formatAltitude", () => {
  it("formats metres with one decimal by default", () => {
    expect(plain(formatAltitude(30.44))).toBe("30.4 m");
    expect(plain(formatAltitude(-2.06))).toBe("-2.1 m");
    expect(plain(formatAltitude(29.6, 0))).toBe("30 m");
    expect(formatAltitude(null)).toBe(DASH);
  });
});

describe("speeds", () => {
  it("formats ground speed and signed climb", () => {
    expect(plain(formatSpeed(5.25))).toBe("5.3 m/s");
    expect(formatSpeed(null)).toBe(DASH);
    expect(plain(formatClimb(1.23))).toBe("+1.2 m/s");
    expect(plain(formatClimb(-0.5))).toBe("\u22120.5 m/s");
    expect(plain(formatClimb(0.01))).toBe("0.0 m/s");
    expect(formatClimb(null)).toBe(DASH);
  });
});

describe("formatHeading", () => {
  it("pads to three digits and wraps into 0..359", () => {
    expect(formatHeading(90)).toBe("090°");
    expect(formatHeading(359.6)).toBe("000°");
    expect(formatHeading(-10)).toBe("350°");
    expect(formatHeading(725)).toBe("005°");
    expect(formatHeading(null)).toBe(DASH);
  });
});

describe("other units", () => {
  it("formats distance, voltage, ratios and coordinates", () => {
    expect(plain(formatDistance(950.4))).toBe("950 m");
    expect(plain(formatDistance(1234))).toBe("1.23 km");
    expect(plain(formatVoltage(15.84))).toBe("15.8 V");
    expect(plain(formatRatioPercent(0.0123))).toBe("1.2 %");
    expect(formatRatioPercent(null)).toBe(DASH);
    expect(formatCoordinates(52.5, 13.4)).toBe("52.500000, 13.400000");
    expect(formatCoordinates(null, 13.4)).toBe(DASH);
  });
});
