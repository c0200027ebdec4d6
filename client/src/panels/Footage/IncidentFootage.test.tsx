import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { IncidentDetail, IncidentLink } from "../../../../server/protocol";
import { jsonResponse } from "../../test/access";
import { FakeFlightsServer } from "../../test/flights-fetch";
import { createAppStore, StoreProvider } from "../../store";
import { IncidentsPage } from "../Incidents";
import { sampleFootage, T0 } from "./testData";

afterEach(() => {
  cleanup();
  window.history.replaceState(null, "", "/");
});

const link = (over: Partial<IncidentLink>): IncidentLink => ({
  id: 1, incidentId: 5, kind: "flight", itemId: 7, linkedAt: T0, linkedBy: "rita", reason: "Overflew the roof",
  unlinkedAt: null, unlinkedBy: null, unlinkReason: null, ...over,
});

const detail = (links: IncidentLink[]): IncidentDetail => ({
  incident: {
    id: 5, reference: "CAD 1234/21NOV", title: "Burglary", type: "crime_scene", status: "open", location: null, start: T0, end: null,
    officer: "DS 4471 Okafor", notes: "", createdAt: T0, createdBy: "rita", updatedAt: T0, updatedBy: "rita", version: 1,
  },
  history: [],
  links,
});

describe("footage on the incident page", () => {
  it("lists linked footage apart from flights (poster, name, who and why), links more by id with a reason, unlinks", async () => {
    let links = [link({}), link({ id: 2, kind: "footage", itemId: 3, linkedBy: "sam", reason: "Camera of the roof search" })];
    const server = new FakeFlightsServer({
      "GET /api/incidents/5": () => jsonResponse(200, detail(links)),
      "GET /api/incidents/5/suggestions": () => jsonResponse(200, { suggestions: [], unreadable: [] }),
      "GET /api/footage/3": () => jsonResponse(200, sampleFootage()),
      "GET /api/footage/4": () => jsonResponse(200, sampleFootage({ id: 4, originalName: "DJI_0002.MP4" })),
      "POST /api/incidents/5/links": () => {
        links = [...links, link({ id: 3, kind: "footage", itemId: 4, reason: "Second battery" })];
        return jsonResponse(201, links[2]);
      },
      "POST /api/incidents/5/links/2/unlink": () => {
        links = links.map((l) => (l.id === 2 ? { ...l, unlinkedAt: T0 + 60_000, unlinkedBy: "rita", unlinkReason: "Wrong day" } : l));
        return jsonResponse(200, links[1]);
      },
    });
    const store = createAppStore();
    store.getState().signedIn({ name: "rita", roles: ["reviewer"] });
    render(<StoreProvider store={store}><IncidentsPage fetchFn={server.fetch} search="?id=5" /></StoreProvider>);

    const row = await screen.findByTestId("incident-footage-3");
    await waitFor(() => expect(within(row).getByRole("link").textContent).toBe("DJI_0001.MP4"));
    expect(within(row).getByRole("link").getAttribute("href")).toBe("/footage?id=3");
    expect(row.querySelector("img")?.getAttribute("src")).toBe("/api/footage/3/poster.jpg");
    expect(row.textContent).toContain("linked by sam, 2026-11-21 09:00:00 UTC: Camera of the roof search");
    // The footage link is not shown (or replayed) as a flight.
    expect(screen.queryByTestId("incident-link-3")).toBeNull();
    expect(screen.getByTestId("incident-replay-linked").getAttribute("href")).toBe("/replay?flights=7");

    fireEvent.change(screen.getByTestId("incident-link-footage"), { target: { value: "4" } });
    fireEvent.click(screen.getByTestId("incident-link-footage-by-id"));
    fireEvent.change(screen.getByTestId("incident-link-footage-by-id-reason"), { target: { value: "Second battery" } });
    fireEvent.click(screen.getByTestId("incident-link-footage-by-id-confirm"));
    const added = await screen.findByTestId("incident-footage-4");
    const post = server.calls.find((c) => c.method === "POST" && c.url.pathname === "/api/incidents/5/links");
    expect(JSON.parse(String(post?.init?.body))).toEqual({ kind: "footage", id: 4, reason: "Second battery" });
    await waitFor(() => expect(added.textContent).toContain("DJI_0002.MP4"));

    fireEvent.click(screen.getByTestId("incident-footage-unlink-3"));
    fireEvent.change(screen.getByTestId("incident-footage-unlink-3-reason"), { target: { value: "Wrong day" } });
    fireEvent.click(screen.getByTestId("incident-footage-unlink-3-confirm"));
    await waitFor(() => expect(screen.getByTestId("incident-footage-3").querySelector("s")?.textContent).toBe("DJI_0001.MP4"));
    expect(screen.getByTestId("incident-footage-3").textContent).toContain("unlinked by rita, 2026-11-21 09:01:00 UTC: Wrong day");
  });
});
