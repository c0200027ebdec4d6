import { describe, expect, it } from "vitest";
import { ardupilotmega } from "mavlink-mappings";
import { COPTER_MODES, PLANE_MODES, ROVER_MODES, SUB_MODES, modeName, modeNames, modeNumber } from "./modes";
import type { ModeTable } from "./modes";

/** Numeric members of a generated TS enum. */
function enumNumbers(e: Record<string, string | number>): number[] {
  return Object.values(e).filter((v): v is number => typeof v === "number").sort((a, b) => a - b);
}

describe("ArduPilot mode tables", () => {
  it.each<[string, ModeTable, Record<string, string | number>]>([
    ["copter", COPTER_MODES, ardupilotmega.CopterMode],
    ["plane", PLANE_MODES, ardupilotmega.PlaneMode],
    ["rover", ROVER_MODES, ardupilotmega.RoverMode],
    ["sub", SUB_MODES, ardupilotmega.SubMode],
  ])("%s has the same numbers as the ardupilotmega dialect", (_name, table, dialect) => {
    expect([...table.keys()]).toEqual(enumNumbers(dialect));
  });

  it("names modes both ways", () => {
    expect(modeName("copter", 4)).toBe("GUIDED");
    expect(modeName("copter", 27)).toBe("AUTO_RTL");
    expect(modeName("plane", 10)).toBe("AUTO");
    expect(modeName("boat", 4)).toBe("HOLD");
    expect(modeName("copter", 12)).toBe("MODE(12)");
    expect(modeName("other", 3)).toBe("MODE(3)");
    expect(modeNumber("copter", "guided")).toBe(4);
    expect(modeNumber("copter", "SMART_RTL")).toBe(21);
    expect(modeNumber("plane", "QLAND")).toBe(20);
    expect(modeNumber("copter", "MODE(12)")).toBe(12);
    expect(modeNumber("copter", "FBWA")).toBeNull();
    expect(modeNames("rover")[0]).toBe("MANUAL");
    for (const n of COPTER_MODES.keys()) expect(modeNumber("copter", modeName("copter", n))).toBe(n);
  });
});
