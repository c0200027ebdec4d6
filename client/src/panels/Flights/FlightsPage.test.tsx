import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Role } from "../../../../server/protocol";
import { jsonResponse } from "../../test/access";
import { createAppStore, StoreProvider } from "../../store";
import { FlightsPage } from "./FlightsPage";
import type { ImportResult } from "./report";
import { FakeFlightsServer, type FakeRoute } from "../../test/flights-fetch";
import { sampleFlight, samplePage, T0 } from "../../test/flights";
import type { UploadFn, UploadProgress } from "./upload";

afterEach(cleanup);

const older = sampleFlight({ id: 6, startedAt: T0 - 86_400_000, endedAt: T0 - 86_000_000, status: "imported", pilot: null, source: "import: old.tlog" });
const newer = sampleFlight({ id: 7, notes: [{ id: 1, author: "rita", time: T0 + 600_000, text: "Matches incident 42" }] });
const messages = {
  flightId: 7, vehicle: "1:1", dropped: 0, limit: 5000, messages: [
    { seq: 0, time: T0 + 30_000, severity: "info", text: "Arming motors" },
    { seq: 1, time: T0 + 95_000, severity: "critical", text: "Battery 1 is low 10.20V used 2500 mAh" },
  ],
};
const track = { type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: [[-0.1, 51.5], [-0.1005, 51.5004], [-0.1001, 51.5001]] } };

function renderPage(routes: Record<string, FakeRoute> = {}, roles: Role[] = ["reviewer"], upload?: UploadFn) {
  const server = new FakeFlightsServer({
    "GET /api/flights": () => jsonResponse(200, samplePage([older, newer])),
    "GET /api/flights/7": () => jsonResponse(200, newer),
    "GET /api/flights/7/track": () => jsonResponse(200, track),
    "GET /api/flights/7/messages": () => jsonResponse(200, messages),
    ...routes,
  });
  const store = createAppStore();
  store.getState().signedIn({ name: "rita", roles });
  render(
    <StoreProvider store={store}>
      <FlightsPage fetchFn={server.fetch} debounceMs={0} upload={upload} />
    </StoreProvider>,
  );
  return { server, store };
}

const rows = () => within(screen.getByRole("table", { name: "Flights" })).getAllByRole("row").slice(1);

describe("FlightsPage list", () => {
  it("lists flights newest first with their stats and the page range", async () => {
    const { server } = renderPage();
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows().map((r) => r.getAttribute("data-testid"))).toEqual(["flight-row-7", "flight-row-6"]);
    const cells = [...screen.getByTestId("flight-row-7").querySelectorAll("td")].map((td) => td.textContent);
    expect(cells).toEqual([
      "", "Copter 1:1", "2024-05-03 14:02:11 – 14:05:17", "2\u202fmin 26\u202fs", "1.23\u202fkm", "30\u202fm", "310\u202fm", "pia", "Closed",
      "1.50\u202fMiB", "0123456789ab…Copy",
    ]);
    expect(screen.getByTestId("flight-sha256-7").getAttribute("title")).toBe(newer.sha256);
    expect(screen.getByTestId("flight-sha256-7").textContent).toBe("0123456789ab…");
    expect(within(screen.getByTestId("flight-row-6")).getByText("Imported")).toBeTruthy();
    expect(screen.getByTestId("flights-range").textContent).toBe("1–2 of 2");
    expect(server.listQueries()[0]?.toString()).toBe("offset=0&limit=50");
  });

  it("ticks several flights for one replay, aligned at take-off if asked, without selecting them", async () => {
    renderPage();
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.queryByTestId("flights-picked")).toBeNull();
    fireEvent.click(screen.getByTestId("flight-pick-7"));
    expect(screen.getByTestId("flights-replay-picked").textContent).toBe("Replay 1 flight");
    fireEvent.click(screen.getByTestId("flight-pick-6"));
    const link = screen.getByTestId("flights-replay-picked");
    expect(link.textContent).toBe("Replay 2 flights");
    expect(link.getAttribute("href")).toBe("/replay?flights=7,6");
    expect(screen.getByRole("link", { name: "aligned at take-off" }).getAttribute("href")).toBe("/replay?flights=7,6&align=1");
    expect(screen.queryByTestId("flight-detail")).toBeNull(); // ticking is not opening
    fireEvent.click(screen.getByRole("button", { name: "Clear" }));
    expect(screen.queryByTestId("flights-picked")).toBeNull();
  });

  it("shows the empty state and the server's error in words", async () => {
    renderPage({ "GET /api/flights": () => jsonResponse(200, samplePage([])) });
    expect(await screen.findByText("No flights recorded yet.")).toBeTruthy();
    cleanup();
    renderPage({ "GET /api/flights": () => jsonResponse(503, { error: { code: "storage_down", message: "the catalogue is not available" } }) });
    expect((await screen.findByRole("alert")).textContent).toBe("Flights could not be loaded: the catalogue is not available");
  });

  it("pages with Prev and Next", async () => {
    const { server } = renderPage({
      "GET /api/flights": (url) => {
        const offset = Number(url.searchParams.get("offset"));
        return jsonResponse(200, samplePage([sampleFlight({ id: 100 + offset })], 123, offset));
      },
    });
    await waitFor(() => expect(screen.getByTestId("flights-range").textContent).toBe("1–1 of 123"));
    expect((screen.getByRole("button", { name: "Prev" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(screen.getByTestId("flights-range").textContent).toBe("51–51 of 123"));
    expect(server.listQueries().at(-1)?.get("offset")).toBe("50");
  });

  it("puts the filters in the query and starts again at the first page", async () => {
    const { server } = renderPage({
      "GET /api/flights": (url) => jsonResponse(200, samplePage([newer], 123, Number(url.searchParams.get("offset")))),
    });
    await screen.findByTestId("flight-row-7");
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(server.listQueries().at(-1)?.get("offset")).toBe("50"));
    fireEvent.change(screen.getByLabelText("Vehicle"), { target: { value: "1:1" } });
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2024-05-01" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2024-05-03" } });
    await waitFor(() => {
      const q = server.listQueries().at(-1);
      expect(q?.get("vehicle")).toBe("1:1");
      expect(q?.get("from")).toBe(String(new Date(2024, 4, 1).getTime()));
      expect(q?.get("to")).toBe(String(new Date(2024, 4, 4).getTime() - 1));
      expect(q?.get("offset")).toBe("0");
    });
  });

  it("says when a filter cannot be used", async () => {
    renderPage();
    fireEvent.change(screen.getByLabelText("Vehicle"), { target: { value: "hawk" } });
    expect((await screen.findByRole("status", { name: "Filter problems" })).textContent).toBe("Vehicle: write system and component id, e.g. 1:1.");
  });

  it("filters by the preview map's view", async () => {
    const { server } = renderPage();
    await screen.findByTestId("flight-row-7");
    fireEvent.click(screen.getByLabelText("Only flights in the current map view"));
    await waitFor(() => expect(server.listQueries().at(-1)?.get("bbox")).toMatch(/^-?[\d.]+(,-?[\d.]+){3}$/));
  });
});

describe("FlightsPage detail", () => {
  it("shows the selected flight's stats, notes and export links", async () => {
    const { server } = renderPage();
    fireEvent.click(await screen.findByRole("button", { name: "Show flight 7" }));
    const detail = within(await screen.findByTestId("flight-detail"));
    expect(detail.getByRole("heading", { name: "Flight 7 · Copter 1:1" })).toBeTruthy();
    expect(detail.getByTestId("flight-detail-sha256").textContent).toBe(newer.sha256);
    expect(await detail.findByText("Matches incident 42")).toBeTruthy();
    const kml = detail.getByRole("link", { name: "Export KML" });
    expect(kml.getAttribute("href")).toBe("/api/flights/7/export?format=kml");
    expect(kml.hasAttribute("download")).toBe(true);
    const exports = detail.getAllByRole("link").filter((a) => a.getAttribute("href")?.startsWith("/api/"));
    expect(exports.map((a) => a.getAttribute("href")?.split("=")[1])).toEqual(["tlog", "kml", "gpx", "csv", "geojson", "messages"]);
    expect(detail.getByRole("link", { name: "Replay" }).getAttribute("href")).toBe("/replay?flights=7");
    expect(detail.getByRole("link", { name: "Report" }).getAttribute("href")).toBe("/report?flight=7");
    await waitFor(() => expect(server.calls.some((c) => c.url.pathname === "/api/flights/7/track")).toBe(true));
    expect(detail.getByText("39,000 in · 1,000 out")).toBeTruthy();
  });

  it("lists the incidents the selected flight is linked to", async () => {
    const link = { id: 1, incidentId: 5, kind: "flight", itemId: 7, linkedAt: T0, linkedBy: "rita", reason: "Overflew the scene", unlinkedAt: null, unlinkedBy: null, unlinkReason: null };
    renderPage({ "GET /api/flights/7/incidents": () => jsonResponse(200, { incidents: [{ link, incident: { id: 5, reference: "CAD 42", title: "Burglary", status: "open" } }] }) });
    fireEvent.click(await screen.findByRole("button", { name: "Show flight 7" }));
    const item = await screen.findByTestId("flight-incident-5");
    expect(within(item).getByRole("link", { name: "CAD 42 · Burglary" }).getAttribute("href")).toBe("/incidents?id=5");
  });

  it("lists the vehicle's messages of the flight, oldest first, coloured by severity", async () => {
    renderPage();
    fireEvent.click(await screen.findByRole("button", { name: "Show flight 7" }));
    const list = await screen.findByTestId("flight-messages");
    const items = within(list).getAllByRole("listitem");
    expect(items.map((li) => li.textContent)).toEqual(["14:02:41INFOArming motors", "14:03:46CRITBattery 1 is low 10.20V used 2500 mAh"]);
    expect(items.map((li) => li.className)).toEqual(["flights__message flights__message--neutral", "flights__message flights__message--danger"]);
    expect(screen.getByRole("heading", { name: "Vehicle messages (2)" })).toBeTruthy();
  });

  it("says when the messages could not be loaded, and when some were past the bound", async () => {
    renderPage({ "GET /api/flights/7/messages": () => jsonResponse(503, { error: { code: "storage_down", message: "the catalogue is not available" } }) });
    fireEvent.click(await screen.findByRole("button", { name: "Show flight 7" }));
    expect(await screen.findByText("Messages could not be loaded: the catalogue is not available")).toBeTruthy();
    cleanup();
    renderPage({ "GET /api/flights/7/messages": () => jsonResponse(200, { ...messages, dropped: 1234 }) });
    fireEvent.click(await screen.findByRole("button", { name: "Show flight 7" }));
    expect((await screen.findByTestId("flight-messages-dropped")).textContent)
      .toBe("1,234 later messages are not listed (over 5,000 in one flight); the .tlog holds them all.");
  });

  it("lets a reviewer add a note", async () => {
    const { server } = renderPage({
      "POST /api/flights/7/notes": (_url, init) => jsonResponse(200, { id: 2, author: "rita", time: T0 + 700_000, text: JSON.parse(String(init?.body)).text }),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Show flight 7" }));
    const note = await screen.findByRole("textbox", { name: "Note" });
    await screen.findByText("Matches incident 42");
    fireEvent.change(note, { target: { value: "Handed to CID" } });
    fireEvent.click(screen.getByRole("button", { name: "Add note" }));
    expect(await screen.findByText("Handed to CID")).toBeTruthy();
    expect(server.calls.find((c) => c.method === "POST")?.init?.body).toBe('{"text":"Handed to CID"}');
  });

  it("says why a note was refused", async () => {
    renderPage({ "POST /api/flights/7/notes": () => jsonResponse(403, { error: { code: "forbidden", message: "reviewers only" } }) });
    fireEvent.click(await screen.findByRole("button", { name: "Show flight 7" }));
    fireEvent.change(await screen.findByRole("textbox", { name: "Note" }), { target: { value: "x" } });
    fireEvent.click(screen.getByRole("button", { name: "Add note" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The note was not added: Not allowed: reviewers only");
  });

  it("hides the note form and import from other roles", async () => {
    renderPage({}, ["observer"]);
    fireEvent.click(await screen.findByRole("button", { name: "Show flight 7" }));
    await screen.findByText("Matches incident 42");
    expect(screen.queryByRole("form", { name: "Add a note" })).toBeNull();
    expect(screen.queryByLabelText("Import .tlog")).toBeNull();
  });

  it("still shows the stats when the track cannot be loaded", async () => {
    renderPage({ "GET /api/flights/7/track": () => jsonResponse(404, { error: { code: "no_track", message: "no position recorded" } }) });
    fireEvent.click(await screen.findByRole("button", { name: "Show flight 7" }));
    expect(await screen.findByText("No track to show: no position recorded")).toBeTruthy();
    expect(screen.getByTestId("flight-detail")).toBeTruthy();
  });
});

describe("FlightsPage integrity and interruptions", () => {
  const actual = "fe".repeat(32);
  const altered = sampleFlight({ id: 8, integrity: { state: "altered", checkedAt: T0 + 300_000, actualSizeBytes: 1_572_864, actualSha256: actual } });
  const cut = sampleFlight({
    id: 42, status: "interrupted", disarmedAt: null, durationS: 60, endedAt: T0 + 90_000, continuedBy: { id: 43, gapMs: 12_400 },
  });

  it("marks a file that no longer matches its seal in red, in the row and the detail, with both hashes", async () => {
    renderPage({
      "GET /api/flights": () => jsonResponse(200, samplePage([altered, newer])),
      "GET /api/flights/8": () => jsonResponse(200, altered),
      "GET /api/flights/8/track": () => jsonResponse(409, { error: { code: "tlog_altered", message: "the .tlog of flight 8 no longer has the SHA-256 it was sealed with" } }),
    });
    const badge = await screen.findByTestId("flight-integrity-8");
    expect(badge.textContent).toBe("file altered");
    expect(badge.querySelector(".badge--danger")).toBeTruthy();
    expect(screen.queryByTestId("flight-integrity-7")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Show flight 8" }));
    const detail = within(await screen.findByTestId("flight-detail"));
    expect(detail.getByTestId("flight-detail-integrity-badge").textContent).toBe("file altered");
    expect(detail.getByTestId("flight-detail-sha256").textContent).toBe(altered.sha256);
    expect(detail.getByTestId("flight-detail-actual-sha256").textContent).toBe(actual);
    expect(detail.getByTestId("flight-integrity").textContent).toMatch(/^File altered: it no longer matches its seal/);
    expect(await detail.findByText(/No track to show: the \.tlog of flight 8 no longer has the SHA-256/)).toBeTruthy();
  });

  it("lets a reviewer check the file now, and shows what the server found", async () => {
    const { server } = renderPage({
      "POST /api/flights/7/verify": () => jsonResponse(200, { id: 7, sha256: newer.sha256, integrity: altered.integrity }),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Show flight 7" }));
    const detail = within(await screen.findByTestId("flight-detail"));
    await waitFor(() => expect(detail.getByTestId("flight-integrity").textContent).toMatch(/^File matches its seal/));
    const before = server.listQueries().length;
    fireEvent.click(detail.getByRole("button", { name: "Check file now" }));
    expect((await detail.findByTestId("flight-detail-integrity-badge")).textContent).toBe("file altered");
    expect(server.calls.some((c) => c.method === "POST" && c.url.pathname === "/api/flights/7/verify")).toBe(true);
    await waitFor(() => expect(server.listQueries().length).toBe(before + 1));
  });

  it("shows a flight cut by a crash as interrupted, with its armed time so far and the gap until the next segment", async () => {
    renderPage({
      "GET /api/flights": () => jsonResponse(200, samplePage([cut])),
      "GET /api/flights/42": () => jsonResponse(200, cut),
      "GET /api/flights/42/track": () => jsonResponse(200, track),
    });
    const row = await screen.findByTestId("flight-row-42");
    const cells = [...row.querySelectorAll("td")].map((td) => td.textContent);
    expect(cells[3]).toBe("≥\u202f1\u202fmin 00\u202fs");
    expect(cells[8]).toBe("Interrupted");
    fireEvent.click(screen.getByRole("button", { name: "Show flight 42" }));
    expect((await screen.findByTestId("flight-interruption")).textContent).toBe("recording interrupted: 12.4\u202fs gap until flight #43");
  });
});

const report = { packets: 40_000, garbageBytes: 0, crcErrors: 0, truncated: true, sha256: "cd".repeat(32), sizeBytes: 1_572_864 };

function fakeUpload() {
  const sent: File[] = [];
  let progress: (p: UploadProgress) => void = () => {};
  let settle: { resolve: (r: ImportResult) => void; reject: (e: unknown) => void } | null = null;
  const upload: UploadFn = (file, onProgress) => {
    sent.push(file);
    progress = onProgress;
    const result = new Promise<ImportResult>((resolve, reject) => { settle = { resolve, reject }; });
    return { result, abort: () => {} };
  };
  return { upload, sent, progress: (p: UploadProgress) => progress(p), finish: (r: ImportResult) => settle?.resolve(r) };
}

describe("FlightsPage import", () => {
  it("uploads with progress, words the report, refreshes the list and shows the flight", async () => {
    const fake = fakeUpload();
    const { server } = renderPage({}, ["reviewer"], fake.upload);
    await screen.findByTestId("flight-row-7");
    const before = server.listQueries().length;
    fireEvent.change(screen.getByLabelText("Import .tlog"), { target: { files: [new File(["abcd"], "cid.tlog")] } });
    expect(fake.sent.map((f) => f.name)).toEqual(["cid.tlog"]);
    fake.progress({ loaded: 2, total: 4 });
    expect(await screen.findByText("Uploading cid.tlog: 50 %")).toBeTruthy();
    fake.finish({ flights: [newer], report });
    const words = await screen.findByTestId("flights-import-report");
    expect([...words.querySelectorAll("p")].map((p) => p.textContent)).toEqual([
      "cid.tlog: Imported 1 flight; 0 garbage bytes, 0 CRC errors",
      "file truncated: the last packet was incomplete",
      `40,000 packets, 1.50\u202fMiB, SHA-256 ${"cd".repeat(6)}… (the file as uploaded, kept unchanged; each flight's own file, extracted from it, has its own SHA-256)`,
    ]);
    await waitFor(() => expect(server.listQueries().length).toBe(before + 1));
    expect(await screen.findByTestId("flight-detail")).toBeTruthy();
  });

  it("refuses a file over the size limit without uploading it", async () => {
    const fake = fakeUpload();
    renderPage({}, ["reviewer"], fake.upload);
    const big = new File(["x"], "huge.tlog");
    Object.defineProperty(big, "size", { value: 5 * 1024 ** 3 });
    fireEvent.change(screen.getByLabelText("Import .tlog"), { target: { files: [big] } });
    expect((await screen.findByTestId("flights-import-error")).textContent).toBe("huge.tlog is 5.00\u202fGiB: files up to 4.00\u202fGiB can be imported.");
    expect(fake.sent).toEqual([]);
  });
});
