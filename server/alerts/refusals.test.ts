import { describe, expect, it } from "vitest";
import { alertHarness } from "../../test/support/alerts/harness";
import { copter } from "../../test/support/alerts/vehicles";

describe("commands the vehicle refused", () => {
  it("one warning per command and result, repeats counted, ended after a quiet minute; accepted and in-progress are not refusals", async () => {
    const h = await alertHarness();
    const ack = (commandName: string, result: number, resultName: string) =>
      h.engine.commandAck({ key: "1:1", time: h.clock.now, commandName, result, resultName });
    ack("DO_SET_MODE", 0, "ACCEPTED");
    ack("PREFLIGHT_CALIBRATION", 5, "IN_PROGRESS");
    ack("DO_REPOSITION", 4, "FAILED");
    h.hold(copter(), 6000);
    ack("DO_REPOSITION", 4, "FAILED");
    ack("SET_MESSAGE_INTERVAL", 2, "DENIED");
    expect(h.alerts().map((a) => [a.rule, a.severity, a.text, a.count])).toEqual([
      ["command_refused", "warning", "Vehicle refused DO_REPOSITION: FAILED (seen 2 times)", 2],
      ["command_refused", "warning", "Vehicle refused SET_MESSAGE_INTERVAL: DENIED", 1],
    ]);
    h.hold(copter(), 61_000);
    expect(h.alerts().every((a) => a.clearReason === "ended")).toBe(true);
  });
});
