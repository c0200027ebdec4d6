import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CustodyEntry, CustodyLog, ExportJob } from "../../../../server/protocol";
import { jsonResponse } from "../../test/access";
import { FakeFlightsServer } from "../../test/flights-fetch";
import { createCustodyApi } from "./api";
import { CustodyReportPage } from "./CustodyReportPage";
import { CustodySection } from "./CustodySection";
import { ExportSection } from "./ExportSection";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const entry = (id: number, over: Partial<CustodyEntry> = {}): CustodyEntry => ({
  id, time: `2026-11-21T22:${String(id).padStart(2, "0")}:00.000Z`, actor: "rita", address: "10.0.0.5", action: "footage_viewed",
  target: "footage:3", result: "ok", detail: "{}", prev_hash: "a".repeat(64), hash: `${id}`.padStart(64, "0"), ...over,
});

const log = (entries: CustodyEntry[]): CustodyLog => ({
  subject: { kind: "incident", id: 5, label: "CAD 9001/21NOV26 · Assault, Strand", items: [
    { kind: "flight", id: 7, label: "Flight 7, vehicle 1:1", sha256: "b".repeat(64), linked: true },
    { kind: "footage", id: 3, label: "DJI_0042.MP4", sha256: "c".repeat(64), linked: false },
  ] },
  generatedAt: Date.UTC(2026, 10, 22, 9), generatedBy: "rita", entries, truncated: false,
});

describe("CustodySection", () => {
  it("shows the latest entries newest first, in words, with the CSV and the report one click away", async () => {
    const entries = Array.from({ length: 10 }, (_, i) => entry(i + 1));
    entries[9] = entry(10, { action: "incident_linked", target: "incident:5", detail: '{"reason":"overhead","kind":"flight"}' });
    const server = new FakeFlightsServer({ "GET /api/incidents/5/custody": () => jsonResponse(200, log(entries)) });
    render(<CustodySection api={createCustodyApi(server.fetch)} kind="incident" id={5} />);
    const table = await screen.findByTestId("custody-latest");
    const rows = table.querySelectorAll("tbody tr");
    expect(rows).toHaveLength(8);
    expect(rows[0]!.textContent).toBe("2026-11-21 22:10:00 UTCritaLinked to the incidentIncident 5“overhead” · kind flight");
    expect(screen.getByTestId("custody-count").textContent).toBe("10 entries");
    expect(screen.getByTestId("custody-csv").getAttribute("href")).toBe("/api/incidents/5/custody?format=csv");
    expect(screen.getByTestId("custody-report").getAttribute("href")).toBe("/custody?incident=5");
  });

  it("says why when the log cannot be read", async () => {
    const server = new FakeFlightsServer({ "GET /api/footage/3/custody": () => jsonResponse(403, { error: { code: "forbidden", message: "reviewers only" } }) });
    render(<CustodySection api={createCustodyApi(server.fetch)} kind="footage" id={3} />);
    expect((await screen.findByRole("alert")).textContent).toBe("The custody log could not be read: reviewers only");
  });
});

describe("ExportSection", () => {
  it("makes a bundle, follows the job until it is done, then lists it with its download", async () => {
    const job: ExportJob = { id: "j1", incidentId: 5, by: "rita", state: "waiting", startedAt: 0, finishedAt: null, result: null, message: null };
    let polls = 0;
    let made = false;
    const bundle = { name: "CAD-9001-21NOV26-20261122-090000000Z", createdAt: Date.UTC(2026, 10, 22, 9), incidentId: 5, reference: "CAD 9001/21NOV26", createdBy: "rita", files: 9, bytes: 3 * 1024 ** 2 };
    const server = new FakeFlightsServer({
      "GET /api/incidents/5/exports": () => jsonResponse(200, { bundles: made ? [bundle] : [] }),
      "POST /api/incidents/5/export": () => jsonResponse(202, job),
      "GET /api/exports/jobs/j1": () => {
        polls += 1;
        if (polls < 2) return jsonResponse(200, { ...job, state: "building" });
        made = true;
        return jsonResponse(200, { ...job, state: "done", result: { name: bundle.name, files: 9, bytes: bundle.bytes } });
      },
    });
    render(<ExportSection api={createCustodyApi(server.fetch)} incidentId={5} />);
    await screen.findByText("No bundle made yet.");
    fireEvent.click(screen.getByTestId("export-start"));
    expect((await screen.findByTestId("export-job")).textContent).toContain("Waiting");
    expect(screen.getByTestId("export-start")).toHaveProperty("disabled", true);
    await waitFor(() => expect(screen.getByTestId("export-job").textContent).toBe("Bundle ready: 9 files."), { timeout: 4000 });
    const row = await screen.findByTestId(`export-bundle-${bundle.name}`);
    expect(row.textContent).toContain("2026-11-22 09:00:00 UTC by rita · 9 files · 3.0 MB");
    expect(screen.getByTestId("export-download").getAttribute("href")).toBe(`/api/exports/${bundle.name}/download`);
    expect(screen.getByTestId("export-start")).toHaveProperty("disabled", false);
  });

  it("shows the server's reason when a bundle cannot be made", async () => {
    const server = new FakeFlightsServer({
      "GET /api/incidents/5/exports": () => jsonResponse(200, { bundles: [] }),
      "POST /api/incidents/5/export": () => jsonResponse(503, { error: { code: "exports_busy", message: "several bundles are being made" } }),
    });
    render(<ExportSection api={createCustodyApi(server.fetch)} incidentId={5} />);
    fireEvent.click(await screen.findByTestId("export-start"));
    expect((await screen.findByRole("alert")).textContent).toBe("several bundles are being made");
  });
});

describe("CustodyReportPage", () => {
  it("lists the items with their hashes and every entry, and asks the server to audit the print before printing", async () => {
    const entries = [entry(1, { action: "incident_created", target: "incident:5" }), entry(2, { result: "forbidden", address: "" })];
    const server = new FakeFlightsServer({ "GET /api/incidents/5/custody": () => jsonResponse(200, log(entries)) });
    const print = vi.spyOn(window, "print").mockImplementation(() => undefined);
    render(<CustodyReportPage api={createCustodyApi(server.fetch)} kind="incident" id={5} />);
    expect((await screen.findByTestId("custody-report-title")).textContent).toBe("Incident CAD 9001/21NOV26 · Assault, Strand");
    expect(screen.getByTestId("custody-items").textContent).toContain("no (unlinked)");
    expect(screen.getByTestId("custody-items").textContent).toContain("b".repeat(64));
    expect(screen.getByTestId("custody-row-2").textContent).toContain("result: forbidden");
    expect(screen.getByTestId("custody-row-1").textContent).toContain(`hash ${"1".padStart(64, "0")}`);
    expect(screen.getByTestId("custody-report-generated").textContent).toBe("2026-11-22 09:00:00 UTC");
    fireEvent.click(screen.getByTestId("custody-report-print"));
    await waitFor(() => expect(print).toHaveBeenCalledTimes(1));
    expect(server.calls.filter((c) => c.url.searchParams.get("print") === "1")).toHaveLength(1);
  });
});
