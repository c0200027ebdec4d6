import { describe, expect, it } from "vitest";
import { DASH } from "../../format";
import {
  flightStatus, formatBytes, formatDateTime, formatDurationS, formatFlightSpan, formatFlightVehicle, formatPageRange, shortHash, uploadPercent,
} from "./format";

const at = (...p: [number, number, number, number, number, number]) => new Date(p[0], p[1] - 1, p[2], p[3], p[4], p[5]).getTime();

describe("flight times", () => {
  it("writes local date and time to the second", () => {
    expect(formatDateTime(at(2024, 5, 3, 14, 2, 11))).toBe("2024-05-03 14:02:11");
    expect(formatDateTime(null)).toBe(DASH);
  });

  it("writes the end date only when the flight ends on another day", () => {
    expect(formatFlightSpan(at(2024, 5, 3, 14, 2, 11), at(2024, 5, 3, 14, 4, 40))).toBe("2024-05-03 14:02:11 – 14:04:40");
    expect(formatFlightSpan(at(2024, 5, 3, 23, 59, 0), at(2024, 5, 4, 0, 3, 0))).toBe("2024-05-03 23:59:00 – 2024-05-04 00:03:00");
    expect(formatFlightSpan(at(2024, 5, 3, 14, 2, 11), null)).toBe("2024-05-03 14:02:11 – recording");
  });

  it("writes armed durations, a dash until disarmed", () => {
    expect(formatDurationS(146.4)).toBe("2\u202fmin 26\u202fs");
    expect(formatDurationS(null)).toBe(DASH);
  });
});

describe("sizes and hashes", () => {
  it("uses binary units", () => {
    expect(formatBytes(812)).toBe("812\u202fB");
    expect(formatBytes(1536)).toBe("1.50\u202fKiB");
    expect(formatBytes(3.5 * 1024 ** 2)).toBe("3.50\u202fMiB");
    expect(formatBytes(2 * 1024 ** 3)).toBe("2.00\u202fGiB");
    expect(formatBytes(150 * 1024 ** 2)).toBe("150.0\u202fMiB");
    expect(formatBytes(null)).toBe(DASH);
  });

  it("shortens a SHA-256 to its first 12 digits", () => {
    expect(shortHash("a".repeat(64))).toBe(`${"a".repeat(12)}…`);
    expect(shortHash(null)).toBe(DASH);
  });
});

describe("labels", () => {
  it("names statuses with a tone", () => {
    expect(flightStatus("recording")).toEqual({ label: "Recording", tone: "info" });
    expect(flightStatus("imported").label).toBe("Imported");
  });

  it("names a vehicle by its name, else its class", () => {
    const v = { key: "1:1" as const, sysid: 1, compid: 1, type: "copter", name: null };
    expect(formatFlightVehicle(v)).toBe("Copter 1:1");
    expect(formatFlightVehicle({ ...v, name: "Hawk 2" })).toBe("Hawk 2 (1:1)");
    expect(formatFlightVehicle({ ...v, type: "airship" })).toBe("airship 1:1");
  });

  it("writes the pager range", () => {
    expect(formatPageRange(0, 50, 123)).toBe("1–50 of 123");
    expect(formatPageRange(100, 23, 123)).toBe("101–123 of 123");
    expect(formatPageRange(0, 0, 0)).toBe("No flights");
    expect(formatPageRange(150, 0, 123)).toBe("0 of 123");
  });

  it("gives upload progress in whole percent", () => {
    expect(uploadPercent(512, 1024)).toBe(50);
    expect(uploadPercent(1, 3)).toBe(33);
    expect(uploadPercent(5, null)).toBeNull();
    expect(uploadPercent(5, 0)).toBeNull();
  });
});
