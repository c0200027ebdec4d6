import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { DerivativeJob, FootageDerivative, FootageSync, Role } from "../../../../server/protocol";
import { jsonResponse } from "../../test/access";
import { FakeFlightsServer, type FakeRoute } from "../../test/flights-fetch";
import { createAppStore, StoreProvider } from "../../store";
import { FootagePage } from "./FootagePage";
import { SHA, sampleFootage, sampleSync, T0 } from "./testData";

afterEach(() => {
  cleanup();
  window.history.replaceState(null, "", "/");
});

function renderPage(routes: Record<string, FakeRoute>, search = "", roles: Role[] = ["reviewer"]) {
  const server = new FakeFlightsServer(routes);
  const store = createAppStore();
  store.getState().signedIn({ name: "rita", roles });
  render(<StoreProvider store={store}><FootagePage fetchFn={server.fetch} search={search} /></StoreProvider>);
  return server;
}

const bodyOf = (server: FakeFlightsServer, method: string, path: string): unknown => {
  const call = server.calls.filter((c) => c.method === method && c.url.pathname === path).pop();
  return call ? JSON.parse(String(call.init?.body)) : undefined;
};

const detailRoutes = (syncs: () => { current: FootageSync[]; history: FootageSync[] }, over: Record<string, FakeRoute> = {}) => ({
  "GET /api/footage/3": () => jsonResponse(200, sampleFootage()),
  "GET /api/footage/3/incidents": () => jsonResponse(200, { incidents: [{
    link: { id: 1, incidentId: 5, kind: "footage", itemId: 3, linkedAt: T0, linkedBy: "sam", reason: "Roof search", unlinkedAt: null, unlinkedBy: null, unlinkReason: null },
    incident: { id: 5, reference: "CAD 1234/21NOV", title: "Burglary", status: "open" },
  }] }),
  "GET /api/footage/3/sync": () => jsonResponse(200, syncs()),
  "GET /api/footage/3/derivatives": () => jsonResponse(200, { derivatives: [], jobs: [] }),
  ...over,
});

describe("FootagePage", () => {
  it("tells other roles the page is not theirs and asks the server nothing", () => {
    const server = renderPage({}, "", ["pilot", "observer"]);
    expect(screen.getByTestId("footage-refused").textContent).toBe("Footage is for reviewers and admins: this account may not open it.");
    expect(server.calls).toEqual([]);
  });

  it("lists the stored footage with its poster, facts and full SHA-256, and opens one", async () => {
    const server = renderPage({
      "GET /api/footage": () => jsonResponse(200, { footage: [sampleFootage()], total: 1, offset: 0, limit: 100 }),
      ...detailRoutes(() => ({ current: [], history: [] })),
    });
    const row = await screen.findByTestId("footage-row-3");
    expect(within(row).getByTestId("footage-poster").getAttribute("src")).toBe("/api/footage/3/poster.jpg");
    expect(row.textContent).toContain("DJI_0001.MP4");
    expect(row.textContent).toContain("with DJI_0001.SRT");
    expect(row.textContent).toContain("3.0 MB");
    expect(row.textContent).toContain("0:06");
    expect(row.textContent).toContain("640×480 h264 25 fps");
    expect(row.textContent).toContain("rita, 2026-11-21 10:00:00 UTC");
    expect(within(row).getByTestId("footage-sha").textContent).toBe(SHA);
    fireEvent.click(within(row).getByTestId("footage-open"));
    await screen.findByTestId("footage-detail");
    expect(window.location.search).toBe("?id=3");
    expect(server.calls.some((c) => c.url.pathname === "/api/footage/3")).toBe(true);
  });

  it("shows one file: player, strip, device metadata, download, its incidents", async () => {
    renderPage(detailRoutes(() => ({ current: [], history: [] })), "?id=3");
    await screen.findByTestId("footage-detail");
    expect(screen.getByTestId("footage-player").getAttribute("src")).toBe("/api/footage/3/stream");
    expect(screen.getByTestId("footage-strip").getAttribute("src")).toBe("/api/footage/3/strip.jpg");
    expect(screen.getByTestId("footage-download").getAttribute("href")).toBe("/api/footage/3/original");
    const facts = screen.getByTestId("footage-facts").textContent!;
    expect(facts).toContain("Device: modelFC3582");
    expect(facts).toContain("creation_time2026-11-21T09:00:00.000000Z");
    expect(facts).toContain("6.000 s, 150 frames");
    const incident = await screen.findByTestId("footage-incident-5");
    expect(incident.textContent).toBe("CAD 1234/21NOV · Burglary linked by sam, 2026-11-21 09:00:00 UTC: Roof search");
    expect(within(incident).getByRole("link").getAttribute("href")).toBe("/incidents?id=5");
  });

  it("says when the browser cannot play the original, and offers the download", async () => {
    const hevc = sampleFootage({ probe: { ...sampleFootage().probe, video: { ...sampleFootage().probe.video, codec: "hevc" }, browserPlayable: false } });
    renderPage(detailRoutes(() => ({ current: [], history: [] }), { "GET /api/footage/3": () => jsonResponse(200, hevc) }), "?id=3");
    expect((await screen.findByTestId("footage-unplayable")).textContent).toMatch(/cannot play this original \(hevc in mov,mp4/);
    expect(screen.queryByTestId("footage-player")).toBeNull();
    expect(screen.getByTestId("footage-download")).toBeTruthy();
  });

  it("plays the browser copy when the browser cannot play the original", async () => {
    const avi = sampleFootage({
      probe: { ...sampleFootage().probe, format: "avi", video: { ...sampleFootage().probe.video, codec: "mpeg4" }, browserPlayable: false },
      playback: { source: "browser", derivativeId: 41 },
    });
    renderPage(detailRoutes(() => ({ current: [], history: [] }), { "GET /api/footage/3": () => jsonResponse(200, avi) }), "?id=3");
    const player = await screen.findByTestId("footage-player");
    expect(player.getAttribute("src")).toBe("/api/footage/derivatives/41/stream");
    expect(player.dataset["source"]).toBe("browser");
    expect(screen.getByTestId("footage-playing-copy").textContent).toMatch(/browser copy \(derivative 41, H\.264\): a browser cannot play this original \(mpeg4 in avi\)/);
    expect(screen.getByTestId("footage-download").getAttribute("href")).toBe("/api/footage/3/original");
  });

  it("lists derivatives with how each was made, asks for a clip and a browser copy, and follows the job", async () => {
    const made: FootageDerivative = {
      id: 41, footageId: 3, kind: "clip", fromS: 2, toS: 5, parentSha256: SHA, sha256: "7c".repeat(32), sizeBytes: 204_800,
      command: ["ffmpeg", "-ss", "2", "-i", "/data/evidence/originals/3f/x", "-t", "3", "-metadata", "title=a b", "out.mp4"],
      ffmpegVersion: "ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers", probe: sampleFootage().probe,
      requestedBy: "rita", requestedAt: T0, madeAt: T0 + 5000, reason: "the suspect crossing",
    };
    const job: DerivativeJob = {
      id: "j1", footageId: 3, kind: "clip", fromS: 2, toS: 5, reason: "the suspect crossing", requestedBy: "rita", requestedAt: T0, state: "running",
      progress: 0.4, derivativeId: null, message: null,
    };
    let answer = { derivatives: [] as FootageDerivative[], jobs: [] as DerivativeJob[] };
    const server = renderPage(detailRoutes(() => ({ current: [], history: [] }), {
      "GET /api/footage/3/derivatives": () => jsonResponse(200, answer),
      "POST /api/footage/3/derivatives": () => { answer = { derivatives: [], jobs: [job] }; return jsonResponse(202, job); },
    }), "?id=3");
    await screen.findByTestId("footage-derivatives");
    fireEvent.change(screen.getByTestId("footage-clip-from"), { target: { value: "5" } });
    fireEvent.change(screen.getByTestId("footage-clip-to"), { target: { value: "2" } });
    fireEvent.click(screen.getByTestId("footage-clip-make"));
    expect(within(screen.getByTestId("footage-derivatives")).getByRole("alert").textContent).toBe("the clip must end after it starts");
    fireEvent.change(screen.getByTestId("footage-clip-from"), { target: { value: "2" } });
    fireEvent.change(screen.getByTestId("footage-clip-to"), { target: { value: "5" } });
    fireEvent.click(screen.getByTestId("footage-clip-make"));
    expect(within(screen.getByTestId("footage-derivatives")).getByRole("alert").textContent).toMatch(/a reason is required/);
    fireEvent.change(screen.getByTestId("footage-derivative-reason"), { target: { value: "the suspect crossing" } });
    fireEvent.click(screen.getByTestId("footage-clip-make"));
    expect((await screen.findByTestId("footage-job-j1")).textContent).toBe("Clip 2 s – 5 s: making, 40 % · asked by rita: the suspect crossing");
    expect(bodyOf(server, "POST", "/api/footage/3/derivatives")).toEqual({ kind: "clip", from: 2, to: 5, reason: "the suspect crossing" });
    answer = { derivatives: [made], jobs: [{ ...job, state: "done", progress: 1, derivativeId: 41 }] };
    const row = await screen.findByTestId("footage-derivative-41", {}, { timeout: 3000 });
    expect(row.textContent).toContain("Clip 2 s – 5 s");
    expect(row.textContent).toContain("asked by rita, 2026-11-21 09:00:00 UTC: the suspect crossing");
    expect(within(row).getByTestId("footage-sha").textContent).toBe("7c".repeat(32));
    expect(within(row).getByTestId("footage-derivative-command-41").textContent).toBe("ffmpeg -ss 2 -i /data/evidence/originals/3f/x -t 3 -metadata 'title=a b' out.mp4");
    expect(within(row).getByTestId("footage-derivative-version-41").textContent).toMatch(/^ffmpeg version 5\.1/);
    expect(within(row).getByTestId("footage-derivative-download-41").getAttribute("href")).toBe("/api/footage/derivatives/41/download");
    expect(screen.queryByTestId("footage-job-j1")).toBeNull();

    fireEvent.click(screen.getByTestId("footage-browser-make"));
    await waitFor(() => expect(bodyOf(server, "POST", "/api/footage/3/derivatives")).toEqual({ kind: "browser", reason: "the suspect crossing" }));
  });

  it("syncs to a flight, then nudges the offset a frame and a second with a reason", async () => {
    let current: FootageSync[] = [];
    const server = renderPage(detailRoutes(() => ({ current, history: current }), {
      "POST /api/footage/3/sync/auto": () => { current = [sampleSync()]; return jsonResponse(201, current[0]); },
      "POST /api/footage/3/sync": (_u, init) => {
        const body = JSON.parse(String(init?.body)) as { startsAt: number; reason: string };
        current = [sampleSync({ id: 12, startsAt: body.startsAt, source: "manual", detail: "set by hand", reason: body.reason })];
        return jsonResponse(201, current[0]);
      },
    }), "?id=3");
    fireEvent.change(await screen.findByTestId("footage-sync-flight"), { target: { value: "7" } });
    fireEvent.click(screen.getByTestId("footage-sync-auto"));
    const synced = await screen.findByTestId("footage-sync-7");
    expect(bodyOf(server, "POST", "/api/footage/3/sync/auto")).toEqual({ flightId: 7 });
    expect(synced.textContent).toContain("first frame at 2026-11-21 09:00:00.000 UTC · the file's creation_time: creation_time read as UTC");

    fireEvent.click(within(synced).getByTestId("footage-nudge-+1f"));
    fireEvent.click(within(synced).getByTestId("footage-nudge-+1s"));
    expect(within(synced).getByTestId("footage-nudge-value").textContent).toBe("+1040 ms → first frame at 2026-11-21 09:00:01.040 UTC");
    fireEvent.click(within(synced).getByTestId("footage-nudge-save"));
    expect(within(synced).getByRole("alert").textContent).toMatch(/a reason is required/);
    fireEvent.change(within(synced).getByTestId("footage-nudge-reason"), { target: { value: "Clock on the card was a second late" } });
    fireEvent.click(within(synced).getByTestId("footage-nudge-save"));
    await waitFor(() => expect(screen.getByTestId("footage-sync-7").textContent).toContain("set by hand"));
    expect(bodyOf(server, "POST", "/api/footage/3/sync")).toEqual({ flightId: 7, startsAt: T0 + 1040, reason: "Clock on the card was a second late" });
    expect(screen.getByTestId("footage-sync-7").textContent).toContain(": Clock on the card was a second late");
  });

  it("shows the server's refusal of a sync as it is worded", async () => {
    renderPage(detailRoutes(() => ({ current: [], history: [] }), {
      "POST /api/footage/3/sync/auto": () => jsonResponse(422, { error: { code: "no_sync", message: "no SRT, no camera messages and no creation_time" } }),
    }), "?id=3");
    fireEvent.change(await screen.findByTestId("footage-sync-flight"), { target: { value: "7" } });
    fireEvent.click(screen.getByTestId("footage-sync-auto"));
    expect((await screen.findByRole("alert")).textContent).toBe("no SRT, no camera messages and no creation_time");
  });
});
