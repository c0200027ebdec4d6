import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeChartFrame } from "./chart-decode";
import { RawEncoder } from "./raw";
import { parseTlog } from "./tlog";
import { frameOf } from "./tlog-stream";

const FIXTURE = new URL("../../test/fixtures/copter_flight_1.tlog", import.meta.url).pathname;

describe("decodeChartFrame", () => {
  it("reads RADIO_STATUS as a SiK radio sends it, 255 meaning unknown", () => {
    const radio = new RawEncoder({ sysid: 51, compid: 68 });
    const known = decodeChartFrame(frameOf(radio.encode("RADIO_STATUS", { rssi: 180, remrssi: 255, rxerrors: 3, fixed: 7, noise: 40 })));
    expect(known).toEqual({ kind: "radioStatus", rssi: 180, remRssi: null, rxErrors: 3, fixed: 7 });
  });

  it("reads the recorded flight's VIBRATION and EKF_STATUS_REPORT, and nothing from other messages", () => {
    const kinds = new Map<string, number>();
    let vibeZ = 0;
    for (const { frame } of parseTlog(fs.readFileSync(FIXTURE)).entries) {
      const m = decodeChartFrame(frame);
      const kind = m?.kind ?? "none";
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      if (m?.kind === "vibration") vibeZ = Math.max(vibeZ, m.z);
    }
    // Counts from the fixture's summary (copter_flight_1_tlog_summary.txt).
    expect(kinds.get("vibration")).toBe(769);
    expect(kinds.get("ekfVariances")).toBe(765);
    expect(kinds.get("radioStatus")).toBeUndefined();
    expect(vibeZ).toBeGreaterThan(0.5);
    expect(vibeZ).toBeLessThan(5);
  });
});
