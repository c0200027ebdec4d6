import { describe, expect, it } from "vitest";
import { common } from "mavlink-mappings";
import { MAV_CMD, MAV_RESULT, MSG_ID, mavResultName } from "./ids";
import { REGISTRY } from "./registry";

describe("named MAVLink numbers", () => {
  it("message ids name the dialect's messages", () => {
    for (const [name, id] of Object.entries(MSG_ID)) expect(REGISTRY.byId.get(id)?.MSG_NAME).toBe(name);
  });

  it("commands and results match the dialect", () => {
    for (const [name, value] of Object.entries(MAV_CMD)) {
      expect((common.MavCmd as unknown as Record<string, number>)[name]).toBe(value);
    }
    for (const [name, value] of Object.entries(MAV_RESULT)) {
      expect((common.MavResult as unknown as Record<string, number>)[name]).toBe(value);
      expect(mavResultName(value)).toBe(name);
    }
    expect(mavResultName(42)).toBe("RESULT(42)");
  });

  it("the registry merges the four dialects", () => {
    expect(REGISTRY.byId.get(148)?.MSG_NAME).toBe("AUTOPILOT_VERSION"); // standard
    expect(REGISTRY.byId.get(193)?.MSG_NAME).toBe("EKF_STATUS_REPORT"); // ardupilotmega
    expect(REGISTRY.byId.has(300)).toBe(false); // PROTOCOL_VERSION is in none of them
    expect(REGISTRY.crcExtra[0]).toBe(50); // HEARTBEAT's CRC_EXTRA
  });
});
