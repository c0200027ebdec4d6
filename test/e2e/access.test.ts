import path from "node:path";
import pino from "pino";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLink } from "../../server/mavlink";
import type { MavLink } from "../../server/mavlink";
import type { RunningServer } from "../../server/main";
import { TlogPlayer } from "../../sitl";
import { launchChromium } from "../helpers/browser";
import { startTestServer } from "../helpers/server";
import { flightEntries } from "../helpers/udp";
import { loginThroughPage } from "./login";

const ARTIFACTS = path.resolve(__dirname, "../artifacts");
/** Every control a user could command a vehicle with. */
const COMMAND_CONTROLS = '[data-testid^="take-control-"], [data-testid^="release-control-"], [data-testid^="override-control-"], [aria-label^="Commands for"], [aria-label^="Stop commands for"]';

let browser: Browser;
let server: RunningServer;
let link: MavLink;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer({ tileUrl: null });
  link = createLink(`udpout://127.0.0.1:${server.links[0]!.localAddress()!.port}`, { id: "player", logger: pino({ level: "silent" }) });
  await link.start();
  await new TlogPlayer(flightEntries(), link, { speed: 40 }).play();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await link?.close();
  await server?.close();
});

async function newPage(): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1300, height: 850 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return { page, problems };
}

describe("access in Chromium", () => {
  it("a wrong password is refused in words", async () => {
    const { page } = await newPage();
    await page.goto(`http://127.0.0.1:${server.httpPort}/`);
    await page.getByTestId("login-name").fill("nobody");
    await page.getByTestId("login-password").fill("not the password at all");
    await page.getByTestId("login-submit").click();
    await expect.poll(() => page.getByTestId("login-error").textContent()).toBe("Wrong name or password.");
    expect(await page.getByTestId("map").count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "access-login-refused.png") });
    await page.context().close();
  }, 30_000);

  it("an admin logs in and sees the map and the Admin panel", async () => {
    const { page, problems } = await newPage();
    await loginThroughPage(page, server, "ada", ["admin"]);
    await page.getByTestId("map").waitFor();
    expect(await page.getByTestId("current-user").textContent()).toContain("ada");
    await page.getByTestId("admin-open").click();
    await page.getByTestId("admin-user-row-ada").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "access-admin-panel.png") });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 30_000);

  it("an observer sees the vehicle and no command control; a pilot takes control and everyone sees it", async () => {
    const observer = await newPage();
    await loginThroughPage(observer.page, server, "olga", ["observer"]);
    await observer.page.getByTestId("vehicle-marker-1-1").waitFor();
    await observer.page.getByTestId("vehicle-card-1-1").waitFor();
    expect(await observer.page.getByTestId("control-holder-1-1").textContent()).toBe("No pilot in control");
    // Selected, the vehicle shows its instruments to the observer, and still nothing to command it with.
    await observer.page.getByTestId("vehicle-card-1-1").click();
    await observer.page.getByTestId("inst-attitude").waitFor();
    expect(await observer.page.locator(COMMAND_CONTROLS).count()).toBe(0);
    expect(await observer.page.getByTestId("admin-open").count()).toBe(0);
    await observer.page.screenshot({ path: path.join(ARTIFACTS, "access-observer.png") });

    const pilot = await newPage();
    await loginThroughPage(pilot.page, server, "pia", ["pilot"]);
    await pilot.page.getByTestId("take-control-1-1").click();
    await expect.poll(() => pilot.page.getByTestId("control-holder-1-1").textContent()).toBe("Control: pia");
    await expect.poll(() => observer.page.getByTestId("control-holder-1-1").textContent()).toBe("Control: pia");
    await pilot.page.getByTestId("release-control-1-1").waitFor();
    // Holding it, the pilot's commands for the selected vehicle are enabled.
    await pilot.page.getByTestId("vehicle-card-1-1").click();
    const commands = pilot.page.getByRole("region", { name: "Commands for 1:1" });
    await expect.poll(() => commands.getByRole("button", { name: "Change speed", exact: true }).isEnabled()).toBe(true);
    await pilot.page.screenshot({ path: path.join(ARTIFACTS, "access-pilot-in-control.png") });
    // Still nothing to press for the observer, now that someone holds the vehicle.
    expect(await observer.page.locator(COMMAND_CONTROLS).count()).toBe(0);
    await observer.page.screenshot({ path: path.join(ARTIFACTS, "access-observer-sees-holder.png") });

    await pilot.page.getByTestId("logout").click();
    await pilot.page.getByTestId("login-submit").waitFor();
    expect(observer.problems.concat(pilot.problems)).toEqual([]);
    await observer.page.context().close();
    await pilot.page.context().close();
  }, 60_000);
});
