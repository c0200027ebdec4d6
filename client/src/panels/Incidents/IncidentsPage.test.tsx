import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { IncidentInput, Role } from "../../../../server/protocol";
import { jsonResponse } from "../../test/access";
import { FakeFlightsServer, type FakeRoute } from "../../test/flights-fetch";
import { createAppStore, StoreProvider } from "../../store";
import { IncidentsPage } from "./IncidentsPage";
import { sampleDetail, sampleIncident, T0 } from "./testData";

afterEach(() => {
  cleanup();
  window.history.replaceState(null, "", "/");
});

const page = (incidents = [sampleIncident()]) => ({ incidents, total: incidents.length, offset: 0, limit: 50 });

function renderPage(routes: Record<string, FakeRoute>, search = "", roles: Role[] = ["reviewer"]) {
  const server = new FakeFlightsServer(routes);
  const store = createAppStore();
  store.getState().signedIn({ name: "rita", roles });
  render(<StoreProvider store={store}><IncidentsPage fetchFn={server.fetch} search={search} debounceMs={0} /></StoreProvider>);
  return server;
}

const bodyOf = (server: FakeFlightsServer, method: string, path: string): unknown => {
  const call = server.calls.find((c) => c.method === method && c.url.pathname === path);
  return call ? JSON.parse(String(call.init?.body)) : undefined;
};

const type = (name: string, value: string) => fireEvent.change(screen.getByTestId("incident-form").querySelector(`[name="${name}"]`)!, { target: { value } });

describe("IncidentsPage", () => {
  it("tells other roles the page is not theirs and asks the server nothing", () => {
    const server = renderPage({}, "", ["pilot", "observer"]);
    expect(screen.getByTestId("incidents-refused").textContent).toMatch(/reviewers and admins/);
    expect(server.calls).toEqual([]);
  });

  it("lists open incidents, then by the chosen status and text", async () => {
    const server = renderPage({ "GET /api/incidents": () => jsonResponse(200, page()) });
    expect(await screen.findByText("CAD 1234/21NOV")).toBeTruthy();
    expect(within(screen.getByTestId("incident-row-5")).getByText("Crime scene")).toBeTruthy();
    fireEvent.change(screen.getByTestId("incidents-status"), { target: { value: "all" } });
    fireEvent.change(screen.getByTestId("incidents-search"), { target: { value: " roof " } });
    await waitFor(() => expect(server.calls.at(-1)?.url.search).toBe("?q=roof&offset=0&limit=50"));
    expect(server.calls[0]?.url.search).toBe("?status=open&offset=0&limit=50");
  });

  it("checks the form before sending, then shows the server's refusal as it is worded", async () => {
    const server = renderPage({
      "POST /api/incidents": () => jsonResponse(409, { error: { code: "reference_taken", message: "CAD 77/21NOV is already incident 3" } }),
    }, "?new=1");
    fireEvent.click(screen.getByTestId("incident-save"));
    expect(screen.getByText(/a reference is 3 to 40 characters/)).toBeTruthy();
    expect(screen.getByText("a title is required")).toBeTruthy();
    expect(server.calls).toEqual([]);

    type("reference", "cad 77/21nov");
    type("title", "Missing walker");
    type("officer", "PC 88 Lee");
    type("start", "2026-11-21T22:00");
    fireEvent.change(screen.getByRole("combobox", { name: "Type" }), { target: { value: "missing_person" } });
    fireEvent.click(screen.getByTestId("incident-save"));
    expect((await screen.findByTestId("incident-form-refusal")).textContent).toBe("CAD 77/21NOV is already incident 3");
    expect(bodyOf(server, "POST", "/api/incidents")).toEqual({
      reference: "CAD 77/21NOV", title: "Missing walker", type: "missing_person", location: null, start: T0, end: null, officer: "PC 88 Lee", notes: "",
    } satisfies IncidentInput);
  });

  it("opens the new incident once created", async () => {
    const created = sampleIncident({ id: 12, version: 1 });
    renderPage({
      "POST /api/incidents": () => jsonResponse(201, created),
      "GET /api/incidents/12": () => jsonResponse(200, sampleDetail({ incident: created, links: [] })),
      "GET /api/incidents/12/suggestions": () => jsonResponse(200, { suggestions: [], unreadable: [] }),
    }, "?new=1");
    type("reference", "CAD 1234/21NOV");
    type("title", "Burglary in progress");
    type("officer", "DS 4471 Okafor");
    fireEvent.click(screen.getByTestId("incident-save"));
    expect((await screen.findByTestId("incident-title")).textContent).toBe("CAD 1234/21NOV · Burglary in progress");
    expect(window.location.search).toBe("?id=12");
  });
});
