/**
 * A reviewer prints a flight report in Chromium: the page at /report?flight=ID shows the logbook fields, the
 * track drawing and the hash; Print asks the server (audited) and opens the print dialog; the PDF Chromium
 * prints is one or two A4 pages and carries the .tlog's SHA-256.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqlAlertStore } from "../../server/alerts";
import { FlightCatalogue, statsOfEntries } from "../../server/flights";
import type { RunningServer } from "../../server/main";
import { readTlogFile } from "../../server/mavlink";
import { launchChromium } from "../helpers/browser";
import { pdfText } from "../helpers/pdf";
import { FIXTURES, e2eLogin, startTestServer } from "../helpers/server";

const ARTIFACTS = path.resolve(__dirname, "../artifacts");
const FILE = path.join(FIXTURES, "copter_flight_1.tlog");
const FIXTURE = fs.readFileSync(FILE);
const SHA = createHash("sha256").update(FIXTURE).digest("hex");

let browser: Browser;
let server: RunningServer;
let id = 0;

beforeAll(async () => {
  browser = await launchChromium();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-e2e-report-"));
  fs.mkdirSync(path.join(dataDir, "flights/1-1"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, "flights/1-1/fixture.tlog"), FIXTURE);
  server = await startTestServer({ dataDir, tileUrl: null });
  const entries = readTlogFile(FILE).entries;
  const catalogue = new FlightCatalogue(server.sql);
  id = await catalogue.create({
    vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: "Alpha" }, startedAt: Math.floor(entries[0]!.timeUs / 1000),
    tlogPath: "flights/1-1/fixture.tlog", status: "recording", pilot: "e2e-pilot", previousId: null, source: "live",
  });
  const stats = statsOfEntries(entries, 1, 1);
  await catalogue.updateStats(id, stats);
  await catalogue.seal(id, { endedAt: stats.endedAt!, sizeBytes: FIXTURE.length, sha256: SHA });
  const at = stats.armedAt! + 75_000;
  const alerts = new SqlAlertStore(server.sql);
  await alerts.save([{
    id: (await alerts.reserveIds(1)).first, key: "1:1", rule: "battery_low", severity: "warning", text: "Battery low: 24 % (below 30 %)",
    count: 1, raisedAt: at, updatedAt: at, clearedAt: at + 20_000, clearReason: "ended", acknowledgedBy: null, acknowledgedAt: null,
  }]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the flight report", () => {
  it("shows the logbook fields and track, prints through the server's audit, and makes a 1-2 page A4 PDF with the SHA-256", async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
    await e2eLogin(context, server, "reviewer");
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    // The print dialog cannot be driven headless: count the calls instead.
    await page.addInitScript(() => {
      const w = window as unknown as { printed: number; print: () => void };
      w.printed = 0;
      w.print = () => { w.printed++; };
    });
    await page.goto(`http://127.0.0.1:${server.httpPort}/report?flight=${id}`);
    await page.getByTestId("report-table").waitFor();
    expect(await page.getByTestId("report-max-height").textContent()).toMatch(/30\.0 m .* at \d\d:\d\d:\d\d UTC, 51\.50\d+, -0\.12\d+/);
    expect(await page.getByTestId("report-operation").textContent()).toMatch(/^VLOS/);
    expect(await page.getByTestId("report-sha256").locator("code").textContent()).toBe(SHA);
    expect(await page.getByTestId("report-alerts").textContent()).toContain("Battery low");
    // The track is drawn inside the picture: the square of the mission's four waypoints, well clear of the edges.
    const [svg, track] = await Promise.all([page.getByTestId("report-map").boundingBox(), page.getByTestId("report-track").boundingBox()]);
    expect(track!.width).toBeGreaterThan(svg!.width / 4);
    expect(track!.x).toBeGreaterThan(svg!.x);
    expect(track!.x + track!.width).toBeLessThan(svg!.x + svg!.width);

    const before = (await server.audit.list(10_000)).filter((e) => e.action === "flight_report_printed").length;
    await page.getByTestId("report-print").click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    const printed = (await server.audit.list(10_000)).filter((e) => e.action === "flight_report_printed");
    expect(printed).toHaveLength(before + 1);
    expect(printed[0]).toMatchObject({ actor: "e2e-reviewer", target: `flight:${id}` });
    expect(await page.getByTestId("report-integrity").locator("td").textContent()).toMatch(/^Verified/);

    await page.screenshot({ path: path.join(ARTIFACTS, "flight-report.png"), fullPage: true });
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    fs.writeFileSync(path.join(ARTIFACTS, "flight-report.pdf"), pdf);
    const { pages, text } = await pdfText(pdf);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    // The hash may wrap across lines: compare without the spaces the reader puts between pieces of text.
    expect(text.join("").replace(/\s+/g, "")).toContain(SHA);
    expect(text.join(" ")).toMatch(/drone unit/i);
    expect(text.join(" ")).not.toContain("Print");
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});
