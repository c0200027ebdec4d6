/**
 * A reviewer in Chromium: imports a recorded flight through the flights page, finds it in the list with its
 * statistics, opens it (track on the map, hash, notes) and downloads its GPX and original .tlog.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import { launchChromium } from "../helpers/browser";
import { FIXTURES, e2eLogin, startTestServer } from "../helpers/server";
import { signedOutProbe } from "./login";

const ARTIFACTS = path.resolve(__dirname, "../artifacts");
let browser: Browser;
let server: RunningServer;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer({ tileUrl: null });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the flights page", () => {
  it("imports a .tlog, lists the flight with its stats, shows its track and exports it", async () => {
    const context = await browser.newContext({ viewport: { width: 1500, height: 950 }, acceptDownloads: true });
    await e2eLogin(context, server, "reviewer");
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => { if ((m.type() === "error" || m.type() === "warning") && !signedOutProbe(m)) problems.push(`${m.type()}: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(`http://127.0.0.1:${server.httpPort}/`);
    await page.getByTestId("flights-open").click();
    await page.getByTestId("flights-page").waitFor();

    await page.getByLabel("Import .tlog").setInputFiles(path.join(FIXTURES, "copter_flight_1.tlog"));
    await expect.poll(() => page.getByTestId("flights-import-report").textContent(), { timeout: 20_000 }).toMatch(/Imported 1 flight/);
    const row = page.locator('[data-testid^="flight-row-"]').first();
    await row.waitFor();
    expect(await row.textContent()).toMatch(/1:1/);

    await page.getByRole("button", { name: /^Show flight/ }).first().click();
    const detail = page.getByTestId("flight-detail");
    await detail.waitFor();
    // The recorded flight: armed about 147 s, 30 m up, landed where it took off.
    await expect.poll(() => detail.textContent()).toMatch(/Armed2\smin\s2[67]\ss.*Max altitude30\sm/);
    const map = page.getByTestId("flights-map");
    await map.locator("path.leaflet-interactive").first().waitFor();
    // The track is fitted inside the map with room around it, not clipped at an edge.
    await expect.poll(async () => {
      const [box, track] = await Promise.all([map.boundingBox(), map.locator("path.leaflet-interactive").first().boundingBox()]);
      return box !== null && track !== null && track.x >= box.x + 10 && track.y >= box.y + 10
        && track.x + track.width <= box.x + box.width - 10 && track.y + track.height <= box.y + box.height - 10;
    }, { timeout: 10_000 }).toBe(true);
    // An imported flight's hash is its extract's: the page says so and names the uploaded file's hash.
    expect(await detail.getByTestId("flight-imported-hash").textContent()).toMatch(/extracted from the imported file.*SHA-256 [0-9a-f]{64}\./);
    await page.screenshot({ path: path.join(ARTIFACTS, "flights-page.png") });

    const [gpx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export GPX" }).click()]);
    const gpxText = fs.readFileSync((await gpx.path())!, "utf8");
    expect(gpxText).toContain('xmlns="http://www.topografix.com/GPX/1/1"');
    expect((gpxText.match(/<trkpt /g) ?? []).length).toBeGreaterThan(100);
    const [tlog] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Export .*tlog/i }).click()]);
    expect(fs.statSync((await tlog.path())!).size).toBeGreaterThan(100_000);
    // Opened again with no flight selected, the map shows where the listed flights are, not the whole world.
    await page.reload();
    await page.getByTestId("flights-open").click();
    await page.locator('[data-testid^="flight-row-"]').first().waitFor();
    await expect.poll(() => page.getByTestId("flights-map").locator(".leaflet-control-scale-line").first().textContent(), { timeout: 10_000 })
      .toMatch(/^\d+ m$/);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
