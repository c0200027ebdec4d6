import { describe, expect, it } from "vitest";
import { formatVehicleClass, formatVehicleLabel } from "./vehicle";

describe("formatVehicleLabel", () => {
  it("shows key, mode and height above home in whole metres", () => {
    const label = formatVehicleLabel({ key: "1:1", mode: "GUIDED", position: { lat: 0, lon: 0, altAmsl: 64, altRelative: 29.7 } });
    expect(label.replace(/\u202f/g, " ")).toBe("1:1 GUIDED 30 m");
  });

  it("omits the altitude without a position", () => {
    expect(formatVehicleLabel({ key: "2:1", mode: "STABILIZE", position: null })).toBe("2:1 STABILIZE");
  });

  it("names vehicle classes", () => {
    expect(formatVehicleClass("copter")).toBe("Copter");
  });
});
