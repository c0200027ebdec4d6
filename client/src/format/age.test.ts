import { describe, expect, it } from "vitest";
import { formatAge, formatClock } from "./age";
import { DASH } from "./number";

const plain = (s: string) => s.replace(/\u202f/g, " ");

describe("formatAge", () => {
  it("shows whole seconds under a minute", () => {
    expect(plain(formatAge(0))).toBe("0 s");
    expect(plain(formatAge(999))).toBe("0 s");
    expect(plain(formatAge(12_400))).toBe("12 s");
  });

  it("shows minutes and hours", () => {
    expect(plain(formatAge(185_000))).toBe("3 min 05 s");
    expect(plain(formatAge(2 * 3_600_000 + 7 * 60_000))).toBe("2 h 07 min");
  });

  it("clamps negative ages (clock skew) to zero and dashes unknowns", () => {
    expect(plain(formatAge(-500))).toBe("0 s");
    expect(formatAge(null)).toBe(DASH);
  });
});

describe("formatClock", () => {
  it("shows local time of day", () => {
    const t = new Date(2024, 4, 1, 9, 5, 7).getTime();
    expect(formatClock(t)).toBe("09:05:07");
    expect(formatClock(null)).toBe(DASH);
  });
});
