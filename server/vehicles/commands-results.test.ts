import { describe, expect, it } from "vitest";
import { MAV_RESULT } from "../mavlink";
import type { Severity } from "../protocol";
import type { CommandAck } from "./commands-results";
import { ackResult, ackText, explainsRefusal, withReasons } from "./commands-results";

function ack(result: number, resultName: string): CommandAck {
  return { kind: "commandAck", command: 400, result, resultName, progress: null };
}

describe("command outcomes in words", () => {
  it("names each MAV_RESULT for the pilot; the *_ONLY and frame results mean unsupported", () => {
    expect([ackResult(ack(MAV_RESULT.DENIED, "DENIED")), ackText(ack(MAV_RESULT.DENIED, "DENIED"))])
      .toEqual(["denied", "Refused by the vehicle (denied)"]);
    for (const r of [MAV_RESULT.COMMAND_LONG_ONLY, MAV_RESULT.COMMAND_INT_ONLY, MAV_RESULT.COMMAND_UNSUPPORTED_MAV_FRAME]) {
      expect(ackResult(ack(r, ""))).toBe("unsupported");
      expect(ackText(ack(r, ""))).toBe("The vehicle does not support this command (unsupported)");
    }
  });

  it("an unknown MAV_RESULT is a failure named as the vehicle sent it", () => {
    expect(ackResult(ack(77, "RESULT_77"))).toBe("failed");
    expect(ackText(ack(77, "RESULT_77"))).toBe("Refused by the vehicle (RESULT_77)");
  });

  it("a refusal gets warning-or-worse texts appended, info chatter is left out", () => {
    const severities: Severity[] = ["critical", "warning", "notice", "info"];
    expect(severities.map(explainsRefusal)).toEqual([true, true, false, false]);
    expect(withReasons("Refused by the vehicle (failed)", ["PreArm: GPS 1: was not found", "PreArm: Compass"]))
      .toBe("Refused by the vehicle (failed): PreArm: GPS 1: was not found; PreArm: Compass");
    expect(withReasons("Refused by the vehicle (denied)", [])).toBe("Refused by the vehicle (denied)");
  });
});
