/**
 * A reviewer in Chromium replays a recorded flight: opens it from the flights page, plays and pauses it with the
 * keyboard, steps with the arrows, jumps to a mode change from the timeline, bookmarks a moment, and opens a link
 * to an exact moment as a colleague would.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import { launchChromium } from "../helpers/browser";
import { FIXTURES, e2eLogin, startTestServer, waitFor } from "../helpers/server";
import { signedOutProbe } from "./login";
import { rewrittenFixture } from "../../server/replay/sessions.testkit";

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

/** The session clock the banner shows, as UTC ms. */
async function clock(page: Page): Promise<number> {
  const text = (await page.getByTestId("replay-clock").textContent()) ?? "";
  return Date.parse(text);
}

async function playing(page: Page): Promise<boolean> {
  return (await page.getByTestId("replay-play").getAttribute("aria-pressed")) === "true";
}

describe("the replay view", () => {
  it("replays an imported flight with the transport, keyboard, timeline, bookmarks and deep links", async () => {
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: `http://127.0.0.1:${server.httpPort}` });
    await e2eLogin(context, server, "reviewer");
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => { if ((m.type() === "error" || m.type() === "warning") && !signedOutProbe(m)) problems.push(`${m.type()}: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));

    // From the flights page, as a reviewer finds it.
    await page.goto(`http://127.0.0.1:${server.httpPort}/`);
    await page.getByTestId("flights-open").click();
    await page.getByLabel("Import .tlog").setInputFiles(path.join(FIXTURES, "copter_flight_1.tlog"));
    await expect.poll(() => page.getByTestId("flights-import-report").textContent(), { timeout: 20_000 }).toMatch(/Imported 1 flight/);
    await page.getByRole("button", { name: /^Show flight/ }).first().click();
    const detail = page.getByTestId("flight-detail");
    await detail.waitFor();
    expect(await detail.getByTestId("flight-report").getAttribute("href")).toMatch(/^\/report\?flight=\d+$/);
    await detail.getByTestId("flight-replay").click();
    await page.waitForURL(/\/replay\?flights=\d+/);
    const flightId = Number(new URL(page.url()).searchParams.get("flights"));

    // Opened: the banner says REPLAY and shows the session clock; the timeline has the vehicle's lane.
    await page.getByTestId("replay-view").waitFor().catch(async (e: unknown) => {
      throw new Error(`no replay view: ${String(e)}\n${problems.join("\n")}\n${(await page.content()).slice(0, 1500)}`);
    });
    await expect.poll(() => clock(page), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId("replay-banner").textContent()).toContain("REPLAY");
    await page.getByTestId("timeline-lane-1:1").waitFor();
    const start = await clock(page);

    // Play, then pause with the space bar.
    await page.getByTestId("replay-play").click();
    await expect.poll(() => playing(page)).toBe(true);
    await expect.poll(() => clock(page), { timeout: 15_000 }).toBeGreaterThan(start + 500);
    // Once the vehicle has spoken, it is on the map with its instruments.
    await page.getByTestId("instruments-1-1").waitFor({ timeout: 15_000 });
    await page.getByTestId("map").locator(".leaflet-marker-icon").first().waitFor();
    await page.keyboard.press("Space");
    await expect.poll(() => playing(page)).toBe(false);
    const paused = await clock(page);
    // Paused, the address bar holds the moment, ready to be shared.
    await expect.poll(() => new URL(page.url()).searchParams.get("t")).toBe(new Date(paused).toISOString());

    // Arrows step exactly: 1 s, shift 0.1 s.
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => clock(page)).toBe(paused + 1000);
    await page.keyboard.press("Shift+ArrowLeft");
    await expect.poll(() => clock(page)).toBe(paused + 900);
    await page.keyboard.press("]");
    await expect.poll(() => page.getByTestId("replay-speed").inputValue()).toBe("2x");

    // A mode change on the timeline: hover names it, a click jumps there.
    const mode = page.locator('[data-testid="timeline-mark"][data-kind="mode"]').first();
    await mode.waitFor();
    expect(await mode.getAttribute("title")).toMatch(/\S/);
    const modeTime = Number(await mode.getAttribute("data-time"));
    await mode.click();
    await expect.poll(() => clock(page)).toBe(modeTime);

    // A bookmark at this moment appears in the list and on the timeline.
    await page.getByTestId("bookmark-note").fill("Switches mode here");
    await page.getByTestId("bookmark-add").click();
    await expect.poll(() => page.getByTestId("replay-bookmarks").textContent()).toContain("Switches mode here");
    await page.locator('[data-testid="timeline-mark"][data-kind="bookmark"]').first().waitFor();

    // C copies the link of this moment.
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("c");
    await expect.poll(() => page.getByTestId("replay-banner").textContent()).toMatch(/link copied/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(`http://127.0.0.1:${server.httpPort}/replay?flights=${flightId}&t=${new Date(modeTime).toISOString()}`);

    expect(await page.getByTestId(`replay-report-${flightId}`).getAttribute("href")).toBe(`/report?flight=${flightId}`);
    await page.screenshot({ path: path.join(ARTIFACTS, "replay-view.png") });

    // A colleague opens a link to 60 s into the flight: it opens there.
    const at = start + 60_000;
    await page.goto(`http://127.0.0.1:${server.httpPort}/replay?flights=${flightId}&t=${new Date(at).toISOString()}`);
    await page.getByTestId("replay-view").waitFor();
    await expect.poll(() => clock(page), { timeout: 30_000 }).toBe(at);
    await page.getByTestId("instruments-1-1").waitFor({ timeout: 15_000 });

    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it("two drones of different days aligned at take-off: zoom by hand stays, a chart click seeks, missions drawn, report opened", async () => {
    const HOUR = 3_600_000;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-e2e-aligned-"));
    // The same real flight flown by two other drones, one and two days later.
    rewrittenFixture(dir, "drone2.tlog", 2, 26 * HOUR);
    rewrittenFixture(dir, "drone3.tlog", 3, 50 * HOUR);
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
    await e2eLogin(context, server, "reviewer");
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => { if ((m.type() === "error" || m.type() === "warning") && !signedOutProbe(m)) problems.push(`${m.type()}: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));

    await page.goto(`http://127.0.0.1:${server.httpPort}/`);
    await page.getByTestId("flights-open").click();
    for (const name of ["drone2.tlog", "drone3.tlog"]) {
      await page.getByLabel("Import .tlog").setInputFiles(path.join(dir, name));
      await expect.poll(() => page.getByTestId("flights-import-report").textContent(), { timeout: 20_000 }).toMatch(new RegExp(`${name}: Imported 1 flight`));
    }
    const ids = await page.evaluate(async () => {
      const body = await (await fetch("/api/flights")).json() as { flights: { id: number; vehicle: { key: string } }[] };
      return ["2:1", "3:1"].map((k) => body.flights.find((f) => f.vehicle.key === k)!.id);
    });
    for (const id of ids) await page.getByTestId(`flight-pick-${id}`).check();
    await page.getByRole("link", { name: "aligned at take-off" }).click();
    await page.waitForURL(/\/replay\?flights=\d+,\d+&align=1/);
    await page.getByTestId("timeline-lane-2:1").waitFor({ timeout: 30_000 });
    await page.getByTestId("timeline-lane-3:1").waitFor();

    // The operator zooms in on the track with the wheel; the map's box then changes size (the charts load, the
    // window is resized): the zoom stays theirs.
    await page.locator(".replay-track-remaining").first().waitFor({ state: "attached", timeout: 15_000 });
    const scale = page.locator(".leaflet-control-scale-line").first();
    const scaleText = async () => (await scale.textContent()) ?? "";
    const fitted = await scaleText();
    const map = (await page.getByTestId("map").boundingBox())!;
    await page.mouse.move(map.x + map.width / 2, map.y + map.height / 2);
    await page.mouse.wheel(0, -120);
    await expect.poll(scaleText).not.toBe(fitted);
    const zoomed = await scaleText();
    await page.setViewportSize({ width: 1300, height: 900 });
    await page.waitForTimeout(500);
    expect(await scaleText()).toBe(zoomed);

    // A click on a chart seeks there; both drones are then at the same point of their identical flights.
    const over = page.locator(".u-over").first();
    await over.waitFor({ timeout: 30_000 });
    // The resize above may rebuild the charts: the element found first can be gone (no box) a moment later.
    const box = await waitFor("a chart laid out", async () => {
      const b = await over.boundingBox();
      return b !== null && b.width > 0 ? b : undefined;
    }, 30_000);
    const before = await clock(page);
    await over.click({ position: { x: box.width * 0.6, y: box.height / 2 } });
    await expect.poll(() => clock(page)).not.toBe(before);
    const sought = await clock(page);
    const span = await page.getByTestId("replay-seek").evaluate((el) => [Number((el as HTMLInputElement).min), Number((el as HTMLInputElement).max)]);
    expect(Math.abs(sought - (span[0]! + 0.6 * (span[1]! - span[0]!)))).toBeLessThan((span[1]! - span[0]!) * 0.03);
    const where = (key: string) => page.getByTestId(`vehicle-marker-${key}-1`).evaluate((el) => `${el.getAttribute("data-lat")},${el.getAttribute("data-lon")}`);
    await expect.poll(() => where("2"), { timeout: 15_000 }).toMatch(/^51\.\d+,-0\.\d+$/);
    await expect.poll(async () => (await where("2")) === (await where("3"))).toBe(true);
    // Each drone's mission, read back from it before take-off, is drawn.
    await expect.poll(() => page.locator(".replay-mission").count()).toBe(2);
    await page.screenshot({ path: path.join(ARTIFACTS, "replay-aligned.png") });

    // The report of one of them, from the replay view.
    await page.getByTestId(`replay-report-${ids[0]}`).click();
    await page.waitForURL(new RegExp(`/report\\?flight=${ids[0]}$`));
    await page.getByTestId("report-table").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("report-sha256").locator("code").textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(problems).toEqual([]);
    await context.close();
  }, 150_000);

  it("tells an observer that replay is not theirs", async () => {
    const context = await browser.newContext();
    await e2eLogin(context, server, "observer");
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.httpPort}/replay?flights=1`);
    expect(await page.getByTestId("replay-refused").textContent()).toMatch(/reviewers and admins/);
    await context.close();
  }, 60_000);
});
