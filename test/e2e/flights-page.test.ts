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
    await page.getByTestId("flights-map").locator("path.leaflet-interactive").first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "flights-page.png") });

    const [gpx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export GPX" }).click()]);
    const gpxText = fs.readFileSync((await gpx.path())!, "utf8");
    expect(gpxText).toContain('xmlns="http://www.topografix.com/GPX/1/1"');
    expect((gpxText.match(/<trkpt /g) ?? []).length).toBeGreaterThan(100);
    const [tlog] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Export .*tlog/i }).click()]);
    expect(fs.statSync((await tlog.path())!).size).toBeGreaterThan(100_000);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
