import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { jsonResponse } from "../../test/access";
import { FakeFlightsServer } from "../../test/flights-fetch";
import { FlightIncidents } from "./FlightIncidents";
import { sampleLink } from "./testData";

afterEach(cleanup);

describe("FlightIncidents", () => {
  it("lists the incidents a flight is linked to, ended links struck through", async () => {
    const server = new FakeFlightsServer({
      "GET /api/flights/7/incidents": () => jsonResponse(200, {
        incidents: [
          { link: sampleLink(), incident: { id: 5, reference: "CAD 1234/21NOV", title: "Burglary", status: "open" } },
          { link: sampleLink({ id: 2, incidentId: 6, unlinkedAt: 1, unlinkedBy: "sam", unlinkReason: "Wrong job" }), incident: { id: 6, reference: "CAD 9", title: "Fire", status: "closed" } },
        ],
      }),
    });
    render(<FlightIncidents flightId={7} fetchFn={server.fetch} />);
    const live = await screen.findByTestId("flight-incident-5");
    expect(live.querySelector("a")?.getAttribute("href")).toBe("/incidents?id=5");
    expect(live.textContent).toBe("CAD 1234/21NOV · Burglary — linked by rita, 2026-11-21 22:02:00 UTC: Overflew the roof");
    const ended = screen.getByTestId("flight-incident-6");
    expect(ended.querySelector("s")?.textContent).toBe("CAD 9 · Fire");
    expect(ended.textContent).toContain("(closed)");
    expect(ended.textContent).toContain("unlinked by sam: Wrong job");
    expect(screen.getByTestId("flight-custody-report").getAttribute("href")).toBe("/custody?flight=7");
  });

  it("says when the flight is in no incident", async () => {
    const server = new FakeFlightsServer({ "GET /api/flights/8/incidents": () => jsonResponse(200, { incidents: [] }) });
    render(<FlightIncidents flightId={8} fetchFn={server.fetch} />);
    expect(await screen.findByText("Not linked to any incident.")).toBeTruthy();
  });
});
