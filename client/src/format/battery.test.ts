import { describe, expect, it } from "vitest";
import { batteryLevel, formatBattery } from "./battery";
import { DASH } from "./number";

const plain = (s: string) => s.replace(/\u202f/g, " ");

describe("formatBattery", () => {
  it("formats voltage, current and remaining", () => {
    const b = formatBattery({ voltage: 15.84, current: 12.26, remaining: 76, consumedMah: 800 });
    expect([b.voltage, b.current, b.remaining].map(plain)).toEqual(["15.8 V", "12.3 A", "76 %"]);
    expect(b.level).toBe("ok");
  });

  it("dashes unknown values", () => {
    const b = formatBattery({ voltage: null, current: null, remaining: null, consumedMah: null });
    expect([b.voltage, b.current, b.remaining, b.level]).toEqual([DASH, DASH, DASH, "unknown"]);
  });
});

describe("batteryLevel", () => {
  it("turns caution below 40 % and warning below 20 %", () => {
    expect(batteryLevel(40)).toBe("ok");
    expect(batteryLevel(39)).toBe("caution");
    expect(batteryLevel(20)).toBe("caution");
    expect(batteryLevel(19)).toBe("warning");
    expect(batteryLevel(0)).toBe("warning");
  });
});
