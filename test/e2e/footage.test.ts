/**
 * A reviewer in Chromium uploads a drone's video through the footage page (progress shown; paused, the tab closed,
 * the same file picked again continues where it stopped), sees it stored with its poster, opens it (the original
 * plays), links it to an incident, and, once it is placed on an imported ArduCopter flight's clock, watches it in
 * the replay following the replay's clock both ways.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type { FlightsPage, FootagePage, FootageSummary } from "../../server/protocol";
import { launchChromium } from "../helpers/browser";
import { makeVideo, sha256sum } from "../helpers/footage";
import { FIXTURES, api, e2eLogin, signIn, startTestServer } from "../helpers/server";
import { signedOutProbe } from "./login";

const ARTIFACTS = path.resolve(__dirname, "../artifacts");
let browser: Browser;
let server: RunningServer;

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
  server = await startTestServer({ tileUrl: null });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => { if ((m.type() === "error" || m.type() === "warning") && !signedOutProbe(m)) problems.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

/** A DJI (Mavic 3 style) sidecar: one cue a second with the local date-time and the camera's position, near `at`. */
function djiSrt(start: number, seconds: number, at: { lat: number; lon: number }): string {
  const hms = (s: number) => `00:00:${String(s).padStart(2, "0")},000`;
  return Array.from({ length: seconds }, (_, i) => [
    String(i + 1), `${hms(i)} --> ${hms(i + 1)}`, `<font size="28">FrameCnt: ${i * 25 + 1}, DiffTime: 1000ms`,
    new Date(start + i * 1000).toISOString().slice(0, 23).replace("T", " "),
    `[iso: 100] [latitude: ${(at.lat + i * 0.00005).toFixed(6)}] [longitude: ${(at.lon + i * 0.00005).toFixed(6)}] [rel_alt: 30.000 abs_alt: 40.000] </font>`, "",
  ].join("\n")).join("\n");
}

const clock = async (page: Page) => Date.parse((await page.getByTestId("replay-clock").textContent()) ?? "");
const frameUtc = async (page: Page) => Number(await page.getByTestId("replay-footage-utc").getAttribute("data-utc"));
const progress = async (page: Page) => Number(await page.getByTestId("footage-upload-progress").first().getAttribute("value"));

describe("footage", () => {
  it("uploads (paused, resumed after the tab closed), lists, plays, links to an incident and follows the replay clock", async () => {
    const base = `http://127.0.0.1:${server.httpPort}`;
    const cookie = await signIn(server, ["reviewer"], "e2e-reviewer");
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
    await e2eLogin(context, server, "reviewer");
    let page = await context.newPage();
    const problems = watch(page);

    // A real flight first: the footage will be placed on its clock.
    await page.goto(`${base}/`);
    await page.getByTestId("flights-open").click();
    await page.getByLabel("Import .tlog").setInputFiles(path.join(FIXTURES, "copter_flight_1.tlog"));
    await expect.poll(() => page.getByTestId("flights-import-report").textContent(), { timeout: 20_000 }).toMatch(/Imported 1 flight/);
    const flight = ((await (await api(server, cookie, "/api/flights")).json()) as FlightsPage).flights[0]!;
    const startsAt = flight.startedAt + 60_000;
    const video = makeVideo({ seconds: 6, creationTime: new Date(startsAt).toISOString(), size: "640x480", bitrate: "4M" });
    const size = fs.statSync(video).size;

    // Upload through the page, slowed to ~1 MB/s so the progress can be seen and the upload paused part-way.
    await page.getByTestId("footage-open").click();
    await page.waitForURL(/\/footage$/);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1_000_000 });
    await page.getByTestId("footage-pick-files").setInputFiles(video);
    const row = page.getByTestId("footage-upload").first();
    await expect.poll(() => progress(page), { timeout: 20_000 }).toBeGreaterThan(20);
    expect(await row.getByTestId("footage-upload-state").textContent()).toMatch(/^\d+(\.\d)? (KB|MB) of \d\.\d MB, \d+(\.\d)? (KB|MB)\/s$/);
    await page.screenshot({ path: path.join(ARTIFACTS, "footage-uploading.png") });
    await row.getByTestId("footage-upload-pause").click();
    await expect.poll(() => row.getAttribute("data-phase")).toBe("paused");
    const pausedAt = await progress(page);
    expect(pausedAt).toBeLessThan(100);

    // The tab is closed; a new one, the same file picked again: it continues from the server's offset.
    await page.close();
    page = await context.newPage();
    problems.push(...watch(page));
    await page.goto(`${base}/footage`);
    await page.getByTestId("footage-pick-files").setInputFiles(video);
    const again = page.getByTestId("footage-upload").first();
    await expect.poll(() => again.getAttribute("data-phase"), { timeout: 30_000 }).toBe("stored");
    const resumedFrom = Number(await again.getAttribute("data-resumed-from"));
    expect(resumedFrom).toBeGreaterThan(0.15 * size);
    expect(resumedFrom).toBeLessThan(size);
    expect(await progress(page)).toBe(100);
    const stored = await again.getByTestId("footage-upload-state").textContent();
    expect(stored).toMatch(/^Stored as footage \d+/);

    // The list: the new file with its poster (decoded by the browser) and its hash.
    const [f] = ((await (await api(server, cookie, "/api/footage")).json()) as FootagePage).footage as [FootageSummary];
    expect(f.sha256).toBe(sha256sum(video));
    const listed = page.getByTestId(`footage-row-${f.id}`);
    await listed.waitFor();
    await expect.poll(() => listed.getByTestId("footage-poster").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    expect(await listed.getByTestId("footage-sha").textContent()).toBe(f.sha256);
    await page.screenshot({ path: path.join(ARTIFACTS, "footage-list.png") });

    // Its detail: the original plays in Chromium (H.264 in MP4).
    await listed.getByTestId("footage-open").click();
    await page.getByTestId("footage-detail").waitFor();
    const player = page.getByTestId("footage-player");
    await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(await player.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(640);
    expect(await page.getByTestId("footage-facts").textContent()).toContain("640×480 h264 25 fps");
    await page.screenshot({ path: path.join(ARTIFACTS, "footage-detail.png"), fullPage: true });

    // Linked to an incident from the incident's page, by its number, with a reason.
    const incident = (await (await api(server, cookie, "/api/incidents", { method: "POST", body: JSON.stringify({
      reference: "CAD 88/21NOV26", title: "Roof search", type: "search", location: null, start: flight.startedAt - 3_600_000, end: null, officer: "PC 1", notes: "",
    }) })).json()) as { id: number };
    await page.goto(`${base}/incidents?id=${incident.id}`);
    await page.getByTestId("incident-link-footage").fill(String(f.id));
    await page.getByTestId("incident-link-footage-by-id").click();
    await page.getByTestId("incident-link-footage-by-id-reason").fill("Camera of the roof search");
    await page.getByTestId("incident-link-footage-by-id-confirm").click();
    const linked = page.getByTestId(`incident-footage-${f.id}`);
    await expect.poll(() => linked.textContent()).toContain("DJI_0001.MP4");
    expect(await linked.textContent()).toContain("linked by e2e-reviewer");
    await page.getByTestId("incident-footage").screenshot({ path: path.join(ARTIFACTS, "footage-incident.png") });

    // Placed on the flight's clock by hand, then replayed: the video follows the replay.
    const sync = await api(server, cookie, `/api/footage/${f.id}/sync`, { method: "POST", body: JSON.stringify({ flightId: flight.id, startsAt, reason: "Seen lifting off in the first frame" }) });
    expect(sync.status).toBe(201);
    await page.goto(`${base}/replay?flights=${flight.id}&t=${new Date(startsAt + 2000).toISOString()}`);
    await page.getByTestId("replay-footage").waitFor({ timeout: 30_000 });
    await expect.poll(() => clock(page), { timeout: 30_000 }).toBe(startsAt + 2000);
    await expect.poll(() => frameUtc(page), { timeout: 15_000 }).toBe(startsAt + 2000);
    expect(await page.getByTestId(`footage-bar-${f.id}`).getAttribute("data-from")).toBe(String(startsAt));

    // The replay seeks 1 s on: the frame shown moves with it.
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => clock(page)).toBe(startsAt + 3000);
    await expect.poll(() => frameUtc(page)).toBe(startsAt + 3000);
    expect(await page.getByTestId("replay-footage-utc").textContent()).toBe(`frame at ${new Date(startsAt + 3000).toISOString().slice(0, 23).replace("T", " ")} UTC`);
    await page.screenshot({ path: path.join(ARTIFACTS, "footage-replay.png") });

    // The reviewer seeks the video to 4.4 s: the replay goes to that frame's moment.
    await page.getByTestId("replay-footage-video").evaluate((v: HTMLVideoElement) => { v.currentTime = 4.4; });
    await expect.poll(() => clock(page)).toBe(startsAt + 4400);
    await expect.poll(() => frameUtc(page)).toBe(startsAt + 4400);

    // Played, the video plays along; a minute before it, there is no footage.
    await page.getByTestId("replay-play").click();
    await expect.poll(() => frameUtc(page), { timeout: 10_000 }).toBeGreaterThan(startsAt + 5000);
    await page.getByTestId("replay-play").click();
    await page.keyboard.press("Home");
    await page.getByTestId("replay-footage-none").waitFor();
    expect(await page.getByTestId("replay-footage-none").textContent()).toBe("No footage at this moment");

    // An SD-card folder: the video with its SRT (the camera's positions), a preview file and a lone SRT.
    const card = path.join(path.dirname(video), "DCIM");
    fs.mkdirSync(card);
    const second = makeVideo({ seconds: 4, creationTime: new Date(startsAt + 10_000).toISOString(), name: "DJI_0002.MP4" });
    fs.copyFileSync(second, path.join(card, "DJI_0002.MP4"));
    fs.writeFileSync(path.join(card, "DJI_0002.SRT"), djiSrt(startsAt + 10_000, 4, flight.takeoff!));
    fs.writeFileSync(path.join(card, "DJI_0002.LRF"), "low-resolution preview");
    fs.writeFileSync(path.join(card, "DJI_0009.SRT"), djiSrt(startsAt, 1, flight.takeoff!));
    await page.goto(`${base}/footage`);
    await page.getByTestId("footage-pick-folder").setInputFiles(card);
    const notes = page.getByTestId("footage-upload-note");
    await expect.poll(() => notes.allTextContents()).toEqual([
      "DJI_0009.SRT: a sidecar without its video beside it, not uploaded (pick it with its video).",
      "1 file(s) of the folder are not video and were left out: DJI_0002.LRF",
    ]);
    const paired = page.getByTestId("footage-upload");
    expect(await paired.count()).toBe(1);
    await expect.poll(() => paired.getAttribute("data-phase"), { timeout: 30_000 }).toBe("stored");
    await expect.poll(() => paired.getByTestId("footage-upload-sidecar").textContent({ timeout: 15_000 })).toBe("DJI_0002.SRT attached");
    await page.screenshot({ path: path.join(ARTIFACTS, "footage-card.png") });
    const secondId = Number(/Stored as footage (\d+)/.exec((await paired.getByTestId("footage-upload-state").textContent()) ?? "")?.[1]);
    const placed = await api(server, cookie, `/api/footage/${secondId}/sync`, { method: "POST", body: JSON.stringify({ flightId: flight.id, startsAt: startsAt + 10_000, reason: "Second clip" }) });
    expect(placed.status).toBe(201);

    // In the replay, the camera's own position is on the map while its clip runs.
    await page.goto(`${base}/replay?flights=${flight.id}&t=${new Date(startsAt + 12_000).toISOString()}`);
    await page.getByTestId("replay-footage").waitFor({ timeout: 30_000 });
    // The clip running at this moment is the one shown.
    await expect.poll(() => page.getByTestId("replay-footage").getAttribute("data-footage")).toBe(String(secondId));
    await expect.poll(() => frameUtc(page), { timeout: 15_000 }).toBe(startsAt + 12_000);
    await page.locator("path.footage-camera").waitFor({ timeout: 15_000 });
    expect(await page.locator("path.footage-camera-path").count()).toBe(1);
    expect(await page.getByTestId("footage-lane").locator("button").count()).toBe(2);
    await page.screenshot({ path: path.join(ARTIFACTS, "footage-replay-camera.png") });

    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
