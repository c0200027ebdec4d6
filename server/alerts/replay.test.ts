import { describe, expect, it } from "vitest";
import type { AlertConfig } from "../config";
import { replay as replayEntries, tlogEntries } from "../../test/support/alerts/replay";

/**
 * The real ArduCopter flight (boot, GPS lock, arm, takeoff to 30 m, AUTO mission, RTL, landing) through the
 * decoder, the registry and the rules, ticking every 100 ms on the recording's clock as the server would.
 */
function replay(config: Partial<AlertConfig> = {}) {
  return replayEntries(tlogEntries("copter_flight_1.tlog"), config);
}

describe("alert rules on the real ArduCopter flight (copter_flight_1.tlog)", () => {
  it("a normal flight raises no condition alert, only the one WARNING the vehicle sent", async () => {
    const h = await replay();
    expect(h.alerts().map((a) => [a.rule, a.severity, a.text])).toEqual([
      ["statustext", "warning", "got MISSION_REQUEST; use MISSION_REQUEST_INT!"],
    ]);
  });

  it("its timeline: GUIDED and AUTO (commanded by the recording's own ground station), arming, mission complete", async () => {
    const h = await replay();
    expect(h.events.map((e) => (e.kind === "mode_change" ? `${e.from} → ${e.to}` : e.kind))).toEqual([
      "STABILIZE → GUIDED", "armed", "GUIDED → AUTO", "mission_complete", "disarmed",
    ]);
  });

  it("with a 25 m altitude limit and a 100 m radius, the 30 m flight raises each once", async () => {
    const h = await replay({ altitudeLimit: 25, vlosRadius: 100 });
    const altitude = h.alerts("altitude_limit");
    expect(altitude).toHaveLength(1);
    expect(altitude[0]?.text).toMatch(/^Altitude (29|30|31) m above take-off \(limit 25 m\)$/);
    expect(altitude[0]?.clearedAt).not.toBeNull();
    expect(h.alerts("vlos_distance")).toHaveLength(1);
  });
});
