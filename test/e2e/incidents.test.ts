/**
 * A reviewer in Chromium works an incident from start to end: creates it with an area drawn on the map, edits it,
 * imports a real ArduCopter flight, finds it among the suggested flights, links it with a reason, sees the link on
 * the flight's page, and closes the incident. An observer's live map shows the open incident's label meanwhile, and
 * not after it is closed. Then the reviewer makes the evidence bundle, downloads it as a zip (which unzips and verifies
 * offline), and prints the incident's custody report.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyBundle } from "../../server/custody";
import type { RunningServer } from "../../server/main";
import type { FlightsPage } from "../../server/protocol";
import { launchChromium } from "../helpers/browser";
import { FIXTURES, e2eLogin, startTestServer } from "../helpers/server";
import { signedOutProbe } from "./login";

const ARTIFACTS = path.resolve(__dirname, "../artifacts");
const HOUR = 3_600_000;
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

/** The value a datetime-local input (labelled UTC) takes for this instant. */
const utcInput = (ms: number) => new Date(ms).toISOString().slice(0, 16);

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => { if ((m.type() === "error" || m.type() === "warning") && !signedOutProbe(m)) problems.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

/** Clicks the corners of a rectangle around the middle of the place map; the last one is a double-click (closes it). */
async function drawArea(page: Page, halfWidth: number, halfHeight: number): Promise<void> {
  const box = (await page.getByTestId("incident-place-map").boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.click(cx - halfWidth, cy - halfHeight);
  await page.mouse.click(cx + halfWidth, cy - halfHeight);
  await page.mouse.click(cx + halfWidth, cy + halfHeight);
  await page.mouse.dblclick(cx - halfWidth, cy + halfHeight);
}

describe("incidents", () => {
  it("a reviewer creates, edits, links a suggested flight to and closes an incident; the control room sees it while open", async () => {
    const base = `http://127.0.0.1:${server.httpPort}`;
    const reviewerContext = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
    await e2eLogin(reviewerContext, server, "reviewer");
    const page = await reviewerContext.newPage();
    const problems = watch(page);

    // The flight first, so the incident's window and place can be read from it rather than written here.
    await page.goto(`${base}/`);
    await page.getByTestId("flights-open").click();
    await page.getByLabel("Import .tlog").setInputFiles(path.join(FIXTURES, "copter_flight_1.tlog"));
    await expect.poll(() => page.getByTestId("flights-import-report").textContent(), { timeout: 20_000 }).toMatch(/Imported 1 flight/);
    const list = (await (await page.request.get(`${base}/api/flights`)).json()) as FlightsPage;
    const flight = list.flights[0]!;
    expect(flight.takeoff).not.toBeNull();
    const takeoff = flight.takeoff!;

    // New incident, its area drawn around the take-off place; the window starts before the flight and is left open.
    await page.getByTestId("incidents-open").click();
    await page.waitForURL(/\/incidents$/);
    await page.getByTestId("incident-new").click();
    const form = page.getByTestId("incident-form");
    await form.locator('[name="reference"]').fill("cad 4471/21nov");
    await form.locator('[name="title"]').fill("Burglary, suspects on the roof");
    await form.locator('[name="type"]').selectOption("crime_scene");
    await form.locator('[name="officer"]').fill("DS 4471 Okafor");
    await form.locator('[name="start"]').fill(utcInput(flight.startedAt - HOUR));
    await page.getByLabel("Centre the map on (latitude, longitude)").fill(`${takeoff.lat}, ${takeoff.lon}`);
    await page.getByRole("button", { name: "Go", exact: true }).click();
    await page.getByRole("button", { name: "Area", exact: true }).click();
    await drawArea(page, 160, 110);
    expect(await page.getByTestId("incident-place-state").textContent()).toBe("Area of 4 corners");
    await page.getByTestId("incident-form").screenshot({ path: path.join(ARTIFACTS, "incidents-form.png") });
    await page.getByTestId("incident-save").click();
    await page.getByTestId("incident-detail").waitFor();
    expect(await page.getByTestId("incident-title").textContent()).toBe("CAD 4471/21NOV · Burglary, suspects on the roof");
    const incidentId = Number(new URL(page.url()).searchParams.get("id"));
    expect(incidentId).toBeGreaterThan(0);

    // The control room's live map shows the open incident's label.
    const observerContext = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    await e2eLogin(observerContext, server, "observer");
    const observer = await observerContext.newPage();
    const observerProblems = watch(observer);
    await observer.goto(`${base}/`);
    const label = observer.getByTestId(`incident-label-${incidentId}`);
    await label.waitFor();
    expect(await label.textContent()).toBe("CAD 4471/21NOV · Burglary, suspects on the roof");
    expect(await observer.getByTestId("incidents-open").count()).toBe(0);

    // Edit: the window gets its end, an hour after the flight; the history says what changed.
    await page.getByTestId("incident-edit").click();
    await form.locator('[name="end"]').fill(utcInput(flight.endedAt! + HOUR));
    await form.locator('[name="title"]').fill("Burglary, two suspects detained");
    await page.getByTestId("incident-save").click();
    await expect.poll(() => page.getByTestId("incident-title").textContent()).toBe("CAD 4471/21NOV · Burglary, two suspects detained");
    const edited = await page.getByTestId("incident-history-2").textContent();
    expect(edited).toContain("Edited by e2e-reviewer");
    expect(edited).toContain("Title: Burglary, suspects on the roof -> Burglary, two suspects detained");
    expect(edited).toMatch(/End: ongoing -> \d{4}-\d\d-\d\d \d\d:\d\d:00 UTC/);
    // The observer's label follows the edit.
    await expect.poll(() => label.textContent()).toBe("CAD 4471/21NOV · Burglary, two suspects detained");

    // Suggested: the imported flight passed inside the area. Link it, with a reason.
    const suggestion = page.getByTestId(`incident-suggestion-${flight.id}`);
    await suggestion.waitFor({ timeout: 20_000 });
    expect(await suggestion.textContent()).toContain("inside");
    expect(await suggestion.getByRole("link", { name: "Replay" }).getAttribute("href")).toBe(`/replay?flights=${flight.id}`);
    await page.getByTestId(`incident-suggestion-link-${flight.id}`).click();
    await page.getByTestId(`incident-suggestion-link-${flight.id}-reason`).fill("Overflew the roof during the search");
    await page.getByTestId(`incident-suggestion-link-${flight.id}-confirm`).click();
    const link = page.getByTestId(`incident-link-${flight.id}`);
    await link.waitFor();
    expect(await link.textContent()).toContain("linked by e2e-reviewer");
    expect(await link.textContent()).toContain("Overflew the roof during the search");
    expect(await page.getByTestId("incident-replay-linked").getAttribute("href")).toBe(`/replay?flights=${flight.id}`);
    await expect.poll(() => suggestion.count()).toBe(0);
    await page.getByTestId("incident-place-preview").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "incidents.png"), fullPage: true });
    await observer.screenshot({ path: path.join(ARTIFACTS, "incidents-live-map.png") });

    // The flight's page lists the incident.
    await page.goto(`${base}/`);
    await page.getByTestId("flights-open").click();
    await page.getByRole("button", { name: `Show flight ${flight.id}` }).click();
    const onFlight = page.getByTestId(`flight-incident-${incidentId}`);
    await onFlight.waitFor();
    expect(await onFlight.textContent()).toContain("CAD 4471/21NOV · Burglary, two suspects detained");
    expect(await onFlight.textContent()).toContain("Overflew the roof during the search");

    // Closed, with a reason: the control room no longer sees it.
    await page.goto(`${base}/incidents?id=${incidentId}`);
    await page.getByTestId("incident-close").click();
    await page.getByTestId("incident-close-reason").fill("Suspects charged; scene released");
    await page.getByTestId("incident-close-confirm").click();
    await page.getByTestId("incident-reopen").waitFor();
    expect(await page.getByTestId("incident-status").textContent()).toBe("Closed");
    expect(await page.getByTestId("incident-history-3").textContent()).toContain("Reason: Suspects charged; scene released");
    await expect.poll(() => observer.getByTestId(`incident-label-${incidentId}`).count()).toBe(0);

    // The evidence bundle for the prosecutor: made from the page, downloaded as a zip, and it verifies offline.
    await page.getByTestId("export-start").click();
    await expect.poll(() => page.getByTestId("export-job").textContent(), { timeout: 30_000 }).toMatch(/^Bundle ready: \d+ files\.$/);
    const downloading = page.waitForEvent("download");
    await page.getByTestId("export-download").first().click();
    const download = await downloading;
    const unpackDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-e2e-bundle-"));
    const zipFile = path.join(unpackDir, download.suggestedFilename());
    expect(download.suggestedFilename()).toMatch(/^CAD-4471-21NOV-.*\.zip$/);
    await download.saveAs(zipFile);
    execFileSync("unzip", ["-q", zipFile], { cwd: unpackDir });
    const unpacked = path.join(unpackDir, download.suggestedFilename().replace(/\.zip$/, ""));
    execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: unpacked });
    const check = await verifyBundle(unpacked);
    expect(check.failed).toEqual([]);
    expect(fs.existsSync(path.join(unpacked, `flights/flight-${flight.id}.tlog`))).toBe(true);
    await page.getByTestId("export-section").screenshot({ path: path.join(ARTIFACTS, "incidents-export.png") });

    // The printable custody report, opened from the page: the export and the download are in it; Print is audited.
    await page.getByTestId("custody-section").waitFor();
    // The page reads the log again shortly after a download starts; Refresh reads it at once.
    await expect.poll(async () => {
      await page.getByTestId("custody-refresh").click();
      return page.getByTestId("custody-latest").textContent();
    }, { timeout: 15_000 }).toContain("Bundle downloaded");
    const opening = reviewerContext.waitForEvent("page");
    await page.getByTestId("custody-report").click();
    const report = await opening;
    const reportProblems = watch(report);
    await report.evaluate(() => {
      const w = window as unknown as { printed: number; print: () => void };
      w.printed = 0;
      w.print = () => { w.printed++; };
    });
    await report.getByTestId("custody-entries").waitFor();
    const reportText = (await report.getByTestId("custody-entries").textContent()) ?? "";
    for (const what of ["Incident created", "Linked to the incident", "Incident closed", "Incident exported in a bundle", "Bundle downloaded"]) expect(reportText).toContain(what);
    expect(await report.getByTestId("custody-items").textContent()).toContain(`Flight ${flight.id}`);
    const printedBefore = (await server.audit.list(10_000)).filter((e) => e.action === "custody_report_printed").length;
    await report.getByTestId("custody-report-print").click();
    await expect.poll(() => report.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    expect((await server.audit.list(10_000)).filter((e) => e.action === "custody_report_printed").length).toBe(printedBefore + 1);
    await report.screenshot({ path: path.join(ARTIFACTS, "custody-report.png"), fullPage: true });
    expect(reportProblems).toEqual([]);
    fs.rmSync(unpackDir, { recursive: true, force: true });

    expect(problems).toEqual([]);
    expect(observerProblems).toEqual([]);
    await observerContext.close();
    await reviewerContext.close();
  }, 120_000);
});
