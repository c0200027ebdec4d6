/**
 * A reviewer in Chromium replays a recorded flight: opens it from the flights page, plays and pauses it with the
 * keyboard, steps with the arrows, jumps to a mode change from the timeline, bookmarks a moment, and opens a link
 * to an exact moment as a colleague would.
 */
import path from "node:path";
import type { Browser, Page } from "playwright-core";
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

  it("tells an observer that replay is not theirs", async () => {
    const context = await browser.newContext();
    await e2eLogin(context, server, "observer");
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.httpPort}/replay?flights=1`);
    expect(await page.getByTestId("replay-refused").textContent()).toMatch(/reviewers and admins/);
    await context.close();
  }, 60_000);
});
