import { describe, expect, it } from "vitest";
import { compare, occurrences, replay, summaryOf, tlogEntries } from "../../test/support/alerts/replay";
import type { ExpectedAlert, Occurrence } from "../../test/support/alerts/replay";

/** Readable lines for a failing comparison. */
function show(list: readonly (ExpectedAlert | Occurrence)[]): string[] {
  return list.map((x) => ("kind" in x ? `${x.kind} ${x.severity} @${x.t_s}s ${x.text ?? ""}` : `${x.what} ${x.name} ${x.severity} ${x.text}`));
}

/**
 * Real ArduCopter SITL recordings of faults through decoder, registry and rules: the alerts raised are exactly the
 * ones each recording's summary lists (kind, time within its tolerance, the vehicle's text), info entries are
 * timeline events or alert clears, and nothing else of severity WARNING or worse is raised.
 */
describe.each(["fence_polygon_breach", "battery_failsafe_land", "gps_loss_ekf", "camera_survey"])("%s.tlog", (name) => {
  it("gives exactly the alerts its summary lists", async () => {
    const { connectedMs, expected } = summaryOf(`${name}_summary.json`);
    const h = await replay(tlogEntries(`${name}.tlog`));
    const { pairs, missing, unexpected } = compare(expected, occurrences(h.emitted, h.events), connectedMs);
    expect({ missing: show(missing), unexpected: show(unexpected) }).toEqual({ missing: [], unexpected: [] });
    // Severity as the summary says, but for PreArm refusals: ours are warnings (will not arm, on the ground).
    for (const [e, o] of pairs) {
      if (o.what !== "raise" && o.what !== "repeat") continue;
      const preArm = /^\s*(pre)?arm\b/i.test(o.text ?? "");
      expect([e.kind, o.severity]).toEqual([e.kind, preArm ? "warning" : e.severity]);
    }
  });
});
