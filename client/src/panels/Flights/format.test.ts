import { describe, expect, it } from "vitest";
import { DASH } from "../../format";
import {
  flightStatus, formatArmedTime, formatBytes, formatDateTime, formatDurationS, formatFlightSpan, formatFlightVehicle, formatGap,
  formatInterruption, formatPackets, formatPilot, importedHashText, formatPageRange, integrityBadge, integrityText, shortHash, uploadPercent,
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

describe("interruptions and integrity", () => {
  it("writes the armed time of a flight cut while armed as a lower bound, and the gap to its next segment", () => {
    expect(formatArmedTime({ status: "interrupted", disarmedAt: null, durationS: 60 })).toBe("≥\u202f1\u202fmin 00\u202fs");
    expect(formatArmedTime({ status: "closed", disarmedAt: 1, durationS: 60 })).toBe("1\u202fmin 00\u202fs");
    expect(formatArmedTime({ status: "interrupted", disarmedAt: null, durationS: null })).toBe(DASH);
    expect(formatGap(12_400)).toBe("12.4\u202fs");
    expect(formatGap(125_000)).toBe("2\u202fmin 05\u202fs");
    expect(formatInterruption({ status: "interrupted", continuedBy: { id: 43, gapMs: 12_400 } })).toBe("recording interrupted: 12.4\u202fs gap until flight #43");
    expect(formatInterruption({ status: "interrupted", continuedBy: null })).toMatch(/^recording interrupted: the server stopped/);
    expect(formatInterruption({ status: "closed", continuedBy: null })).toBeNull();
    expect(flightStatus("interrupted")).toEqual({ label: "Interrupted", tone: "caution" });
  });

  it("puts a red badge on an altered or missing file only", () => {
    const base = { checkedAt: 1, actualSizeBytes: null, actualSha256: null };
    expect(integrityBadge({ ...base, state: "altered" })).toMatchObject({ label: "file altered", tone: "danger" });
    expect(integrityBadge({ ...base, state: "missing" })).toMatchObject({ label: "file missing", tone: "danger" });
    for (const state of ["verified", "unchecked", "recording"] as const) expect(integrityBadge({ ...base, state })).toBeNull();
    expect(integrityText({ ...base, state: "unchecked" }, false).text).toBe("No seal to compare the file with");
    expect(integrityText({ ...base, state: "unchecked" }, true).text).toMatch(/a check is queued/);
  });
});

describe("packet counts", () => {
  it("tell received from sent, and give the total alone for a flight counted before they were told apart", () => {
    expect(formatPackets({ packets: 21_259, packetsReceived: 20_700, packetsSent: 559 })).toBe("20,700 in · 559 out");
    expect(formatPackets({ packets: 21_259, packetsReceived: null, packetsSent: null })).toBe("21,259");
  });

  it("explains an imported flight's hash beside the uploaded file's, and says nothing for a live flight", () => {
    const original = "ef".repeat(32);
    expect(importedHashText({ importedFileSha256: original })).toBe("This flight's file is its vehicle's packets extracted "
      + `from the imported file, so its SHA-256 is its own. The file as uploaded is kept unchanged: SHA-256 ${original}.`);
    expect(importedHashText({})).toBeNull();
  });

  it("names the pilot, or says why none is named", () => {
    expect(formatPilot({ pilot: "pia", source: "live" }).text).toBe("pia");
    expect(formatPilot({ pilot: null, source: "live" }).text).toBe("nobody in control");
    expect(formatPilot({ pilot: null, source: "import: a.tlog" }).text).toBe("not recorded");
  });
});
