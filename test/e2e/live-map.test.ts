import path from "node:path";
import pino from "pino";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLink } from "../../server/mavlink";
import type { MavLink } from "../../server/mavlink";
import type { RunningServer } from "../../server/main";
import { TlogPlayer } from "../../sitl";
import { launchChromium, solidTilePng } from "../helpers/browser";
import { e2eLogin, startTestServer, waitFor } from "../helpers/server";
import { flightEntries } from "../helpers/udp";
import { signedOutProbe } from "./login";

const ARTIFACTS = path.resolve(__dirname, "../artifacts");
const TILE_URL = "http://tiles.invalid/{z}/{x}/{y}.png";

let browser: Browser;
let server: RunningServer;
let link: MavLink;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer({ tileUrl: TILE_URL, tileAttribution: "test tiles" });
  link = createLink(`udpout://127.0.0.1:${server.links[0]!.localAddress()!.port}`, { id: "player", logger: pino({ level: "silent" }) });
  await link.start();
});
afterAll(async () => {
  await browser?.close();
  await link?.close();
  await server?.close();
});

describe("the live map in Chromium", () => {
  it("shows the drone moving on the map while the recording plays, without console errors", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await e2eLogin(context, server, "observer");
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => { if ((m.type() === "error" || m.type() === "warning") && !signedOutProbe(m)) problems.push(`${m.type()}: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    const tile = solidTilePng();
    await page.route("http://tiles.invalid/**", (route) => route.fulfill({ status: 200, contentType: "image/png", body: tile }));

    await page.goto(`http://127.0.0.1:${server.httpPort}/`);
    await page.getByTestId("map").waitFor();

    // 194 s of flight at 8x: about 24 s. Take-off is about 42 s into the recording.
    const player = new TlogPlayer(flightEntries(), link, { speed: 8 });
    const done = player.play();
    const marker = page.getByTestId("vehicle-marker-1-1");
    await marker.waitFor({ timeout: 15_000 });
    const where = async () => ({
      lat: Number(await marker.getAttribute("data-lat")),
      lon: Number(await marker.getAttribute("data-lon")),
    });
    const first = await where();
    expect(first.lat).toBeCloseTo(51.5074, 2);
    expect(first.lon).toBeCloseTo(-0.1278, 2);

    // The mission flies north-east of home: the marker must move by more than ~50 m while we watch.
    const moved = await waitFor("the marker to move", async () => {
      const now = await where();
      const metres = Math.hypot((now.lat - first.lat) * 111_320, (now.lon - first.lon) * 69_300);
      return metres > 50 ? now : undefined;
    }, 30_000);
    expect(moved.lat).toBeGreaterThan(51.5);

    const card = page.getByTestId("vehicle-card-1-1");
    // Selected, its instruments show its attitude as it changes: the screen asked for the vehicle's detail
    // ("vehicles:watch"), which the frames every screen gets leave out.
    await card.click();
    const attitude = page.getByTestId("inst-roll");
    await attitude.waitFor();
    const seen = new Set<string>();
    await waitFor("the attitude to change", async () => {
      seen.add(`${await attitude.textContent()} ${await page.getByTestId("inst-pitch").textContent()}`);
      return seen.size >= 4;
    }, 15_000);
    await expect.poll(async () => card.textContent(), { timeout: 10_000 }).toMatch(/AUTO|GUIDED|RTL/);
    await page.screenshot({ path: path.join(ARTIFACTS, "live-map-in-flight.png") });

    await done;
    await expect.poll(async () => card.textContent(), { timeout: 10_000 }).toMatch(/DISARMED/i);
    await page.screenshot({ path: path.join(ARTIFACTS, "live-map-landed.png") });
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("opened after the flight, shows the track from the server; with tiles unreachable the map still works", async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    await e2eLogin(context, server, "observer");
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
    // Every tile request fails, as on a network with no tile server.
    await page.route("http://tiles.invalid/**", (route) => route.abort("internetdisconnected"));
    await page.goto(`http://127.0.0.1:${server.httpPort}/`);
    await page.getByTestId("vehicle-marker-1-1").waitFor();
    await expect.poll(async () => page.locator(".leaflet-control-scale").count()).toBe(1);
    // The vehicle has landed: this screen draws nothing of the flight itself (a trail needs two points), so the line
    // it shows is the server's track, sent after the snapshot ("vehicles:trails"), with the corners of the mission.
    const vertices = async () => Math.max(0, ...await page.locator(".leaflet-overlay-pane path").evaluateAll((paths) =>
      paths.map((p) => (p.getAttribute("d") ?? "").split(/[ML]/).length - 1)));
    await expect.poll(vertices, { timeout: 10_000 }).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(ARTIFACTS, "live-map-tiles-unreachable.png") });
    // Failed tile loads are reported by Chromium itself; nothing else may complain.
    expect(problems.filter((p) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(p))).toEqual([]);
    await page.close();
  }, 60_000);

  it("with no base map configured (--tile-url none) shows vehicles, trail, home and scale", async () => {
    const offline = await startTestServer({ tileUrl: null });
    const feed = createLink(`udpout://127.0.0.1:${offline.links[0]!.localAddress()!.port}`, { id: "player2", logger: pino({ level: "silent" }) });
    await feed.start();
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    await e2eLogin(context, offline, "observer");
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => { if ((m.type() === "error" || m.type() === "warning") && !signedOutProbe(m)) problems.push(m.text()); });
    page.on("request", (r) => { if (!r.url().startsWith(`http://127.0.0.1:${offline.httpPort}`)) problems.push(`request to ${r.url()}`); });
    try {
      await page.goto(`http://127.0.0.1:${offline.httpPort}/`);
      await new TlogPlayer(flightEntries(), feed, { speed: 40 }).play();
      await page.getByTestId("vehicle-marker-1-1").waitFor();
      await page.getByTestId("home-marker-1-1").waitFor({ state: "attached" });
      await expect.poll(async () => page.locator(".leaflet-control-scale").count()).toBe(1);
      await expect.poll(async () => page.locator(".leaflet-overlay-pane path").count()).toBeGreaterThan(0);
      // The offline grid is drawn on canvases; no image tile is ever requested.
      expect(await page.locator("img.leaflet-tile").count()).toBe(0);
      await page.screenshot({ path: path.join(ARTIFACTS, "live-map-no-base-map.png") });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await feed.close();
      await offline.close();
    }
  }, 60_000);
});
