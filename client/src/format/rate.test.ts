import { describe, expect, it } from "vitest";
import { DASH } from "./number";
import { formatByteRate } from "./rate";

const plain = (s: string) => s.replace(/\u202f/g, " ");

describe("formatByteRate", () => {
  it("scales bytes per second", () => {
    expect(plain(formatByteRate(0))).toBe("0 B/s");
    expect(plain(formatByteRate(850))).toBe("850 B/s");
    expect(plain(formatByteRate(2400))).toBe("2.4 kB/s");
    expect(plain(formatByteRate(1_204_000))).toBe("1.20 MB/s");
  });

  it("dashes unknowns", () => {
    expect(formatByteRate(null)).toBe(DASH);
    expect(formatByteRate(Number.NaN)).toBe(DASH);
  });
});
