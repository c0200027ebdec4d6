import { describe, expect, it } from "vitest";
import { vehicleColour, VEHICLE_COLOURS } from "./colours";
import { levelTone, severityTone } from "./tone";

describe("severityTone", () => {
  it("colours by MAVLink severity", () => {
    expect(["emergency", "alert", "critical"].map((s) => severityTone(s as "alert"))).toEqual(["danger", "danger", "danger"]);
    expect(severityTone("error")).toBe("error");
    expect(severityTone("warning")).toBe("caution");
    expect(severityTone("notice")).toBe("neutral");
    expect(severityTone("info")).toBe("neutral");
  });

  it("maps levels to tones", () => {
    expect(levelTone("warning")).toBe("danger");
    expect(levelTone("unknown")).toBe("neutral");
  });
});

describe("vehicleColour", () => {
  it("is stable per sysid, starts at the first colour and cycles", () => {
    expect(vehicleColour(1)).toBe(VEHICLE_COLOURS[0]);
    expect(vehicleColour(2)).toBe(VEHICLE_COLOURS[1]);
    expect(vehicleColour(1 + VEHICLE_COLOURS.length)).toBe(VEHICLE_COLOURS[0]);
    expect(vehicleColour(1, 2)).not.toBe(vehicleColour(1, 1));
    expect(vehicleColour(0)).toBeDefined();
  });
});
