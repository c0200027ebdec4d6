/**
 * A pilot in Chromium flies a simulated ArduCopter with no terminal: takes control, takes off, plans a mission on
 * the map, uploads it (verified by reading back), starts it, watches the drone fly it (items marked reached on
 * the map), sends it home with RTL and sees it land and disarm. The vehicle is the built-in simulator over TCP,
 * at 4x speed; every step goes through the real server, Socket.IO, MAVLink bytes and the page's own controls.
 */
import path from "node:path";
import pino from "pino";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import { SimFleet } from "../../sitl/sim/fleet";
import { launchChromium } from "../helpers/browser";
import { e2eLogin, startTestServer, waitFor } from "../helpers/server";
import { signedOutProbe } from "./login";

const ARTIFACTS = path.resolve(__dirname, "../artifacts");
const HOME = { lat: 51.5074, lon: -0.1278, altAmsl: 10 };

let browser: Browser;
let server: RunningServer;
let fleet: SimFleet;

beforeAll(async () => {
  browser = await launchChromium();
  fleet = new SimFleet({
    vehicles: [{ sysid: 1, home: HOME }], transport: { kind: "tcp", basePort: 0 }, bootTimeScale: 0.1, speedup: 4,
    logger: pino({ level: "silent" }),
  });
  const { links } = await fleet.start();
  server = await startTestServer({ links, tileUrl: null });
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fleet?.stop();
});

const vehicle = () => server.registry.get("1:1", Date.now());

/** Clicks a dialog's Confirm after checking it names the vehicle. */
async function confirm(page: Page, title: RegExp): Promise<void> {
  const dialog = page.getByRole("dialog", { name: title });
  await dialog.waitFor();
  expect(await dialog.textContent()).toContain("1:1");
  await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
}

describe("a pilot flies a mission from the browser", () => {
  it("take-off, a planned mission, RTL and landing, all from the page", async () => {
    const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
    await e2eLogin(context, server, "pilot");
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => { if ((m.type() === "error" || m.type() === "warning") && !signedOutProbe(m)) problems.push(`${m.type()}: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(`http://127.0.0.1:${server.httpPort}/`);

    // Take control and select the vehicle once it is ready to arm (the simulator boots in a few seconds).
    await page.getByTestId("take-control-1-1").click();
    await page.getByTestId("vehicle-card-1-1").click();
    await waitFor("the vehicle ready to arm (EKF using GPS)", () => vehicle()?.ekfHealthy === true && vehicle()!.position, 30_000);
    const commands = page.getByRole("region", { name: "Commands for 1:1" });
    // Land, RTL, brake and the answer to the last command sit in a bar that stays in view above both tabs.
    const stop = page.getByRole("region", { name: "Stop commands for 1:1" });

    // Take off to 20 m: GUIDED, arm, NAV_TAKEOFF, answered in words.
    await commands.getByLabel("Take-off altitude (m)").fill("20");
    await commands.getByRole("button", { name: "Take off", exact: true }).click();
    await confirm(page, /take off/i);
    await expect.poll(() => stop.getByRole("status").textContent(), { timeout: 20_000 }).toMatch(/Accepted/);
    await waitFor("the drone at 18 m", () => (vehicle()?.position?.altRelative ?? 0) > 18, 30_000);

    // Plan: three waypoints clicked on the map around the drone, then a return to launch; upload and verify.
    await page.getByRole("tab", { name: "Plan" }).click();
    await page.getByRole("button", { name: "Add waypoints", exact: true }).click();
    const box = (await page.getByTestId("map").boundingBox())!;
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    for (const [dx, dy] of [[140, -120], [260, 40], [60, 160]] as const) await page.mouse.click(centre.x + dx, centre.y + dy);
    await page.getByRole("button", { name: "Select", exact: true }).click();
    await page.getByRole("button", { name: "Add return to launch", exact: true }).click();
    await expect.poll(() => page.getByTestId("mission-count").textContent()).toMatch(/4/);
    await page.getByRole("button", { name: "Upload to vehicle", exact: true }).click();
    await confirm(page, /upload/i);
    await expect.poll(() => page.getByTestId("mission-sync").textContent(), { timeout: 30_000 }).toMatch(/^On the vehicle, verified .* by e2e-pilot$/);
    await page.screenshot({ path: path.join(ARTIFACTS, "pilot-planned.png") });

    // Start: AUTO through the items; the map marks each reached.
    await page.getByRole("button", { name: "Start mission", exact: true }).click();
    await confirm(page, /start/i);
    await waitFor("AUTO", () => vehicle()?.mode === "AUTO", 15_000);
    await expect.poll(() => page.getByTestId("mission-item-1").getAttribute("data-progress"), { timeout: 30_000 }).toBe("reached");
    await expect.poll(() => page.getByTestId("mission-item-2").getAttribute("data-progress"), { timeout: 30_000 }).toBe("reached");
    await page.screenshot({ path: path.join(ARTIFACTS, "pilot-mission-flying.png") });

    // Home: RTL straight from the Plan tab (the stop bar is above both tabs), then the landing and the disarm.
    await stop.getByRole("button", { name: "RTL", exact: true }).click();
    await confirm(page, /rtl|return/i);
    await waitFor("RTL", () => vehicle()?.mode === "RTL", 15_000);
    await waitFor("landed and disarmed", () => vehicle()?.armed === false, 90_000);
    await expect.poll(() => page.getByTestId("vehicle-card-1-1").textContent()).toMatch(/DISARMED/);
    const end = vehicle()!.position!;
    expect(Math.abs(end.lat - HOME.lat)).toBeLessThan(5e-5);
    expect(Math.abs(end.lon - HOME.lon)).toBeLessThan(8e-5);
    await page.screenshot({ path: path.join(ARTIFACTS, "pilot-landed.png") });

    // Everything the pilot did is in the audit log.
    const actions = (await server.audit.list(100)).map((e) => `${e.action}:${e.result}`);
    expect(actions).toEqual(expect.arrayContaining(["mission_upload:verified", "command_result:accepted", "control_taken:ok"]));
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
