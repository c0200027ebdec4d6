import { describe, expect, it } from "vitest";
import type { LinkEvent } from "../../../server/protocol";
import { makeVehicle, snapshotOf, T0 } from "../test/vehicles";
import { addLinkEvent } from "./alerts";
import { applySnapshot, initialData } from "./reducers";

describe("link events as alerts", () => {
  const state = applySnapshot(initialData(), snapshotOf([makeVehicle(1)]), T0);

  it("a regain says how long the vehicle was silent (the outage), not the age of the heartbeat that ended it", () => {
    const regained: LinkEvent = { key: "1:1", state: "regained", time: T0 + 9000, heartbeatAgeMs: 0, outageMs: 8000 };
    expect(addLinkEvent(state, regained).alerts?.[0]).toMatchObject({ severity: "notice", text: "Link regained after 8.0 s" });
  });

  it("a loss says how long there has been no heartbeat", () => {
    const lost: LinkEvent = { key: "1:1", state: "lost", time: T0 + 6100, heartbeatAgeMs: 5100 };
    expect(addLinkEvent(state, lost).alerts?.[0]).toMatchObject({ severity: "critical", text: "Link lost: no heartbeat for 5.1 s" });
  });
});

describe("vehicle timeline events", () => {
  it("a screen that connects gets the newest events in its snapshot, then each new one in front", () => {
    const events = [{ key: "1:1" as const, time: T0 - 1000, kind: "mode_change" as const, from: "GUIDED", to: "RTL", commanded: false }];
    const state = applySnapshot(initialData(), { ...snapshotOf([makeVehicle(1)]), events }, T0);
    expect(state.vehicleEvents).toEqual(events);
    // A snapshot without events (an older server) keeps what the screen had.
    expect(applySnapshot(state, snapshotOf([makeVehicle(1)]), T0).vehicleEvents).toEqual(events);
  });
});
