/**
 * What a pilot sees on the common laptop screens (1440x900 and 1366x768) while a drone flies a mission that this
 * pilot did not upload: land, RTL and brake are in view without scrolling on the Fly tab and on the Plan tab, the
 * Plan tab shows the vehicle's mission, and the map is fitted to it. Screenshots go to test/artifacts/.
 */
import path from "node:path";
import pino from "pino";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type { Mission, MissionItem, Result } from "../../server/protocol";
import { SimFleet } from "../../sitl/sim/fleet";
import { launchChromium, solidTilePng } from "../helpers/browser";
import { e2eLogin, openSocket, signIn, startTestServer, waitFor, type LiveSocket } from "../helpers/server";
import { signedOutProbe } from "./login";

const ARTIFACTS = path.resolve(__dirname, "../artifacts");
const HOME = { lat: 51.5074, lon: -0.1278, altAmsl: 10 };
const TILE_URL = "http://tiles.invalid/{z}/{x}/{y}.png";
const SIZES = [{ width: 1440, height: 900 }, { width: 1366, height: 768 }] as const;
const STOP_COMMANDS = ["Land", "RTL", "Brake"] as const;

let browser: Browser;
let server: RunningServer;
let fleet: SimFleet;
let ops: LiveSocket;

const item = (command: number, lat: number, lon: number, alt: number): MissionItem =>
  ({ command, frame: 3, params: [0, 0, 0, 0], lat, lon, alt, autocontinue: true });

/** Take-off, a 300 m box north-east of home, RTL: six items, as a unit's patrol would be. */
const PATROL: Mission = {
  home: HOME,
  items: [
    item(22, 0, 0, 30),
    item(16, 51.5090, -0.1278, 30),
    item(16, 51.5090, -0.1235, 30),
    item(16, 51.5074, -0.1235, 30),
    item(16, 51.5060, -0.1250, 30),
    { ...item(20, 0, 0, 0), frame: 0 },
  ],
  fence: { polygons: [], circles: [] },
  rally: [],
};

function call<T>(what: string, send: (ack: (r: Result<T>) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => send((r) => (r.ok ? resolve(r.value) : reject(new Error(`${what}: ${r.error.message}`)))));
}

const vehicle = () => server.registry.get("1:1", Date.now());

beforeAll(async () => {
  browser = await launchChromium();
  fleet = new SimFleet({
    vehicles: [{ sysid: 1, home: HOME }], transport: { kind: "tcp", basePort: 0 }, bootTimeScale: 0.1, speedup: 4,
    logger: pino({ level: "silent" }),
  });
  const { links } = await fleet.start();
  server = await startTestServer({ links, tileUrl: TILE_URL, tileAttribution: "test tiles" });

  // Another ground station's pilot uploads the patrol and starts it, then hands the vehicle over.
  ops = openSocket(server.httpPort, await signIn(server, ["pilot"], "ops-pilot"));
  await waitFor("the vehicle ready to arm (EKF using GPS)", () => vehicle()?.ekfHealthy === true && vehicle()!.position, 30_000);
  await call("take control", (ack) => ops.emit("control:take", { key: "1:1" }, ack));
  await call("upload", (ack) => ops.emit("mission:upload", { key: "1:1", plan: PATROL }, ack));
  await call("take off", (ack) => ops.emit("vehicle:command", { key: "1:1", command: { kind: "takeoff", altM: 30 }, confirmed: true }, ack));
  await call("start", (ack) => ops.emit("vehicle:command", { key: "1:1", command: { kind: "missionStart" }, confirmed: true }, ack));
  await call("release", (ack) => ops.emit("control:release", { key: "1:1" }, ack));
}, 90_000);
afterAll(async () => {
  ops?.close();
  await browser?.close();
  await server?.close();
  await fleet?.stop();
});

async function openPilotPage(context: BrowserContext, problems: string[]): Promise<Page> {
  await e2eLogin(context, server, "pilot");
  const page = await context.newPage();
  page.on("console", (m) => { if ((m.type() === "error" || m.type() === "warning") && !signedOutProbe(m)) problems.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  const tile = solidTilePng();
  await page.route("http://tiles.invalid/**", (route) => route.fulfill({ status: 200, contentType: "image/png", body: tile }));
  await page.goto(`http://127.0.0.1:${server.httpPort}/`);
  return page;
}

/** Each stop button is enabled and wholly inside the window (nothing scrolled). */
async function expectStopCommandsInView(page: Page, size: { width: number; height: number }): Promise<void> {
  const bar = page.getByRole("region", { name: "Stop commands for 1:1" });
  for (const name of STOP_COMMANDS) {
    const button = bar.getByRole("button", { name, exact: true });
    await expect.poll(() => button.isEnabled(), { timeout: 10_000 }).toBe(true);
    const box = await button.boundingBox();
    expect(box, `${name} is rendered`).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, `${name} right edge at ${size.width}x${size.height}`).toBeLessThanOrEqual(size.width);
    expect(box!.y + box!.height, `${name} bottom edge at ${size.width}x${size.height}`).toBeLessThanOrEqual(size.height);
  }
  expect(await page.evaluate(() => [window.scrollX, window.scrollY])).toEqual([0, 0]);
}

/** Every mission item drawn on the map is inside the map's box (the view was fitted to the mission). */
async function expectMissionInMap(page: Page): Promise<void> {
  const map = (await page.getByTestId("map").boundingBox())!;
  const markers = page.locator(".leaflet-marker-icon[title^='Item ']");
  await expect.poll(() => markers.count(), { timeout: 10_000 }).toBe(4);
  for (const box of await Promise.all((await markers.all()).map((m) => m.boundingBox()))) {
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(map.x);
    expect(box!.y).toBeGreaterThanOrEqual(map.y);
    expect(box!.x + box!.width).toBeLessThanOrEqual(map.x + map.width);
    expect(box!.y + box!.height).toBeLessThanOrEqual(map.y + map.height);
  }
}

describe("the pilot's screen on laptop sizes, during an AUTO mission", () => {
  it.each(SIZES)("land, RTL and brake in view at $width x $height, on the Fly and the Plan tab; the Plan tab shows the vehicle's mission", async (size) => {
    await waitFor("the patrol flying in AUTO", () => vehicle()?.mode === "AUTO" && (vehicle()?.position?.altRelative ?? 0) > 5, 60_000);
    const context = await browser.newContext({ viewport: size });
    const problems: string[] = [];
    const page = await openPilotPage(context, problems);
    await page.getByTestId("take-control-1-1").click();
    await page.getByTestId("vehicle-card-1-1").click();

    await expectStopCommandsInView(page, size);
    await page.screenshot({ path: path.join(ARTIFACTS, `pilot-layout-${size.width}x${size.height}-fly.png`) });

    // The mission was uploaded by someone else: the Plan tab shows it all the same, and the map shows all of it.
    await page.getByRole("tab", { name: "Plan" }).click();
    await expect.poll(() => page.getByTestId("mission-count").textContent(), { timeout: 20_000 }).toBe("6");
    await expect.poll(() => page.getByTestId("mission-sync").textContent()).toMatch(/^On the vehicle, verified/);
    await expectStopCommandsInView(page, size);
    await expectMissionInMap(page);
    await page.screenshot({ path: path.join(ARTIFACTS, `pilot-layout-${size.width}x${size.height}-plan.png`) });

    await page.getByTestId("release-control-1-1").click();
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});

describe("the base map without a network", () => {
  it("says the tiles cannot be loaded, and where from, and shows the grid instead", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const problems: string[] = [];
    await e2eLogin(context, server, "observer");
    const page = await context.newPage();
    page.on("console", (m) => { if (m.type() === "error" && !signedOutProbe(m)) problems.push(m.text()); });
    await page.route("http://tiles.invalid/**", (route) => route.abort("internetdisconnected"));
    await page.goto(`http://127.0.0.1:${server.httpPort}/`);
    const notice = page.getByTestId("tiles-failing");
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toBe("Map tiles cannot be loaded from tiles.invalid: showing a grid");
    await expect.poll(() => page.locator(".offline-grid-tile").count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "map-tiles-unreachable-notice.png") });
    // Failed tile loads are reported by Chromium itself; nothing else may complain.
    expect(problems.filter((p) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(p))).toEqual([]);
    await context.close();
  }, 60_000);
});
