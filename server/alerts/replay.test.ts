import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeFrame, readTlogFile } from "../mavlink";
import type { AlertConfig } from "../config";
import { VehicleRegistry } from "../vehicles";
import { alertHarness, TICK_MS } from "./test-harness";

const FIXTURE = path.resolve(__dirname, "../../test/fixtures/copter_flight_1.tlog");
/** What the rules read; the rest (mission protocol, attitude...) only makes the test depend on more of the reducer. */
const RULE_INPUTS = new Set(["heartbeat", "globalPosition", "gpsRaw", "sysStatus", "batteryStatus", "statusText", "homePosition", "ekfStatus"]);

/**
 * The real ArduCopter flight (boot, GPS lock, arm, takeoff to 30 m, AUTO mission, RTL, landing) through the
 * decoder, the registry and the rules, ticking every 100 ms on the recording's clock as the server would.
 */
function replay(config: Partial<AlertConfig> = {}) {
  const h = alertHarness({ config });
  const registry = new VehicleRegistry({ lostAfterMs: 5000 }, {
    statusText: (e) => h.engine.statusText(e.key, e.status),
    link: (e) => h.engine.link(e),
  });
  let nextTick = -1;
  for (const { timeUs, frame } of readTlogFile(FIXTURE).entries) {
    const time = timeUs / 1000;
    if (nextTick < 0) nextTick = time;
    while (nextTick <= time) {
      h.clock.now = nextTick;
      registry.sweep(nextTick);
      h.engine.evaluate(registry.snapshot(nextTick), nextTick);
      nextTick += TICK_MS;
    }
    const decoded = decodeFrame(frame);
    if (RULE_INPUTS.has(decoded.message.kind)) registry.ingest(decoded, "tlog", frame.bytes.length, time);
  }
  return h;
}

describe("alert rules on the real ArduCopter flight (copter_flight_1.tlog)", () => {
  it("a normal flight raises no condition alert, only the one WARNING the vehicle sent", () => {
    const h = replay();
    expect(h.alerts().map((a) => [a.rule, a.severity, a.text])).toEqual([
      ["statustext", "warning", "got MISSION_REQUEST; use MISSION_REQUEST_INT!"],
    ]);
  });

  it("with a 25 m altitude limit and a 100 m radius, the 30 m flight raises each once", () => {
    const h = replay({ altitudeLimit: 25, vlosRadius: 100 });
    const altitude = h.alerts("altitude_limit");
    expect(altitude).toHaveLength(1);
    expect(altitude[0]?.text).toMatch(/^Altitude (29|30|31) m above take-off \(limit 25 m\)$/);
    expect(altitude[0]?.clearedAt).not.toBeNull();
    expect(h.alerts("vlos_distance")).toHaveLength(1);
  });
});
