import { describe, expect, it } from "vitest";
import { formatGps } from "./gps";
import { DASH } from "./number";

describe("formatGps", () => {
  it("labels the fix and formats satellites and hdop", () => {
    expect(formatGps({ fix: "rtk_fixed", satellites: 21, hdop: 0.64 })).toEqual({ fix: "RTK fixed", satellites: "21", hdop: "0.6", level: "ok" });
  });

  it("grades the quality", () => {
    expect(formatGps({ fix: "no_fix", satellites: 3, hdop: null }).level).toBe("warning");
    expect(formatGps({ fix: "2d", satellites: 6, hdop: 1.2 }).level).toBe("caution");
    expect(formatGps({ fix: "3d", satellites: 8, hdop: 2.5 }).level).toBe("caution");
  });

  it("dashes unknowns", () => {
    const g = formatGps({ fix: "none", satellites: null, hdop: null });
    expect([g.fix, g.satellites, g.hdop]).toEqual(["No GPS", DASH, DASH]);
  });
});
