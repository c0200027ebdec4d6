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
