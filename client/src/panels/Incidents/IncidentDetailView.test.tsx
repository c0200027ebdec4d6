import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { IncidentDetail } from "../../../../server/protocol";
import { jsonResponse } from "../../test/access";
import { FakeFlightsServer, type FakeRoute } from "../../test/flights-fetch";
import { createAppStore, StoreProvider } from "../../store";
import { createIncidentsApi } from "./api";
import { IncidentDetailView } from "./IncidentDetailView";
import { sampleDetail, sampleIncident, sampleLink, T0 } from "./testData";

afterEach(cleanup);

const suggestion = { flightId: 21, vehicle: "1:1", startedAt: T0 + 600_000, endedAt: T0 + 1_200_000, nearestM: 0, nearestAt: T0 + 700_000 };

function renderDetail(routes: Record<string, FakeRoute> = {}, detail: () => IncidentDetail = () => sampleDetail()) {
  const server = new FakeFlightsServer({
    "GET /api/incidents/5": () => jsonResponse(200, detail()),
    "GET /api/incidents/5/suggestions": () => jsonResponse(200, { suggestions: [suggestion], unreadable: [4] }),
    "GET /api/incidents/5/exports": () => jsonResponse(200, { bundles: [] }),
    "GET /api/incidents/5/custody": () => jsonResponse(200, {
      subject: { kind: "incident", id: 5, label: "X", items: [] }, generatedAt: T0, generatedBy: "rita", entries: [], truncated: false,
    }),
    ...routes,
  });
  const store = createAppStore();
  render(<StoreProvider store={store}><IncidentDetailView api={createIncidentsApi(server.fetch)} fetchFn={server.fetch} id={5} onBack={() => undefined} /></StoreProvider>);
  return server;
}

const bodyOf = (server: FakeFlightsServer, method: string, path: string): unknown => {
  const call = server.calls.find((c) => c.method === method && c.url.pathname === path);
  return call ? JSON.parse(String(call.init?.body)) : undefined;
};
const gets = (server: FakeFlightsServer) => server.calls.filter((c) => c.method === "GET" && c.url.pathname === "/api/incidents/5").length;

describe("IncidentDetailView", () => {
  it("shows the fields, the history before -> after, live and ended links, and the suggestions", async () => {
    renderDetail();
    await screen.findByTestId("incident-detail");
    expect(screen.getByTestId("incident-fields").textContent).toContain("2026-11-21 22:00:00 UTC – ongoing");
    expect(screen.getByTestId("incident-history-2").textContent).toBe("Edited by rita, 2026-11-21 22:01:00 UTC (version 2)Title: Burglary -> Burglary in progress");
    const ended = screen.getByTestId("incident-link-9");
    expect(ended.querySelector("s")?.textContent).toBe("Flight 9");
    expect(ended.textContent).toContain("unlinked by sam, 2026-11-21 22:05:00 UTC: Wrong street");
    expect(screen.getByTestId("incident-link-7").textContent).toContain("linked by rita, 2026-11-21 22:02:00 UTC: Overflew the roof");
    // Only the live link is replayed.
    expect(screen.getByTestId("incident-replay-linked").getAttribute("href")).toBe("/replay?flights=7");
    const row = await screen.findByTestId("incident-suggestion-21");
    expect(row.textContent).toContain("inside");
    expect(within(row).getByRole("link", { name: "Replay" }).getAttribute("href")).toBe("/replay?flights=21");
    expect(screen.getByTestId("incident-suggestions-unreadable").textContent).toContain("4");
  });

  it("links a suggested flight with the reason given, then shows it linked", async () => {
    let linked = false;
    const server = renderDetail({
      "POST /api/incidents/5/links": () => { linked = true; return jsonResponse(201, sampleLink({ id: 3, itemId: 21, reason: "Passed overhead" })); },
    }, () => sampleDetail({ links: linked ? [sampleLink(), sampleLink({ id: 3, itemId: 21, reason: "Passed overhead" })] : [sampleLink()] }));
    fireEvent.click(await screen.findByTestId("incident-suggestion-link-21"));
    fireEvent.click(screen.getByTestId("incident-suggestion-link-21-confirm"));
    expect(screen.getByRole("alert").textContent).toBe("a reason is required");
    fireEvent.change(screen.getByTestId("incident-suggestion-link-21-reason"), { target: { value: "Passed overhead" } });
    fireEvent.click(screen.getByTestId("incident-suggestion-link-21-confirm"));
    await screen.findByTestId("incident-link-21");
    expect(bodyOf(server, "POST", "/api/incidents/5/links")).toEqual({ kind: "flight", id: 21, reason: "Passed overhead" });
    expect(screen.getByTestId("incident-replay-linked").getAttribute("href")).toBe("/replay?flights=7,21");
  });

  it("edits with the version shown, and on a version conflict says someone else changed it and reloads", async () => {
    const server = renderDetail({
      "PATCH /api/incidents/5": () => jsonResponse(409, { error: { code: "version_conflict", message: "incident 5 is at version 3" } }),
    });
    fireEvent.click(await screen.findByTestId("incident-edit"));
    fireEvent.change(screen.getByTestId("incident-form").querySelector('[name="title"]')!, { target: { value: "Burglary, suspects detained" } });
    const before = gets(server);
    fireEvent.click(screen.getByTestId("incident-save"));
    expect((await screen.findByTestId("incident-notice")).textContent).toMatch(/Someone else changed this incident/);
    expect(bodyOf(server, "PATCH", "/api/incidents/5")).toEqual({ title: "Burglary, suspects detained", version: 2 });
    await waitFor(() => expect(gets(server)).toBeGreaterThan(before));
    expect(screen.queryByTestId("incident-form")).toBeNull();
  });

  it("closes with a reason, then offers Reopen and no longer offers linking", async () => {
    let closed = false;
    const server = renderDetail({
      "POST /api/incidents/5/close": () => { closed = true; return jsonResponse(200, sampleIncident({ status: "closed", version: 3 })); },
    }, () => sampleDetail({ incident: sampleIncident(closed ? { status: "closed", version: 3 } : {}) }));
    fireEvent.click(await screen.findByTestId("incident-close"));
    fireEvent.change(screen.getByTestId("incident-close-reason"), { target: { value: "Suspects charged" } });
    fireEvent.click(screen.getByTestId("incident-close-confirm"));
    await screen.findByTestId("incident-reopen");
    expect(bodyOf(server, "POST", "/api/incidents/5/close")).toEqual({ version: 2, reason: "Suspects charged" });
    expect(screen.getByTestId("incident-status").textContent).toBe("Closed");
    expect(screen.queryByTestId("incident-link-by-id")).toBeNull();
    expect(screen.queryByTestId("incident-edit")).toBeNull();
  });

  it("shows the server's refusal of a link as it is worded", async () => {
    renderDetail({ "POST /api/incidents/5/links": () => jsonResponse(404, { error: { code: "not_found", message: "no flight 999" } }) });
    await screen.findByTestId("incident-detail");
    fireEvent.change(screen.getByTestId("incident-link-flight"), { target: { value: "999" } });
    fireEvent.click(screen.getByTestId("incident-link-by-id"));
    fireEvent.change(screen.getByTestId("incident-link-by-id-reason"), { target: { value: "Seen on CCTV" } });
    fireEvent.click(screen.getByTestId("incident-link-by-id-confirm"));
    expect((await screen.findByRole("alert")).textContent).toBe("no flight 999");
  });
});
