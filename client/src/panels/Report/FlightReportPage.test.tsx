import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FlightReport } from "../../../../server/protocol";
import { FlightReportPage } from "./FlightReportPage";

afterEach(cleanup);

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const SHA = "9f".repeat(32);

/** A report as the server builds it for the recorded flight copter_flight_1 (figures from report.test.ts). */
function report(over: Partial<FlightReport> = {}): FlightReport {
  return {
    flightId: 12, unit: "Drone Unit", generatedAt: T0 + 3_600_000, generatedBy: "rita", status: "closed", source: "live",
    aircraft: { key: "1:1", sysid: 1, compid: 1, vehicleType: "copter", name: "Alpha", autopilot: "ArduPilot", firmware: null },
    remotePilot: "pat", date: "2026-11-21",
    record: { startedAt: T0, endedAt: T0 + 190_000, armedAt: T0 + 30_000, disarmedAt: T0 + 177_000 },
    takeoff: { time: T0 + 34_250, lat: 51.5073998, lon: -0.1278 },
    landing: { time: T0 + 172_280, lat: 51.5073998, lon: -0.1278004 },
    flightTimeS: 138, armedTimeS: 147,
    reference: { time: T0 + 30_000, lat: 51.5073998, lon: -0.1278 },
    maxHeight: { time: T0 + 60_005, lat: 51.5081274, lon: -0.1278002, heightM: 30.014, altAmslM: 40.1 },
    maxDistance: { time: T0 + 115_769, lat: 51.5074061, lon: -0.1292526, distanceM: 100.54, heightM: 29.996 },
    operation: { kind: "VLOS", rule: "BVLOS when the aircraft went more than 500 m horizontally from the take-off point" },
    alerts: { source: "history", more: 0, items: [{
      id: 3, key: "1:1", rule: "battery_low", severity: "warning", text: "Battery low: 24 % (below 30 %)", count: 1, raisedAt: T0 + 100_000,
      updatedAt: T0 + 100_000, clearedAt: null, clearReason: null, acknowledgedBy: null, acknowledgedAt: null,
    }] },
    track: {
      points: [[-0.1278, 51.5073998], [-0.1278, 51.5082981], [-0.1263567, 51.5073998], [-0.1278, 51.5065015], [-0.1292433, 51.5073998], [-0.1278, 51.5073998]],
      toleranceM: 2, positions: 739,
    },
    evidence: {
      fileName: "flight-12-1-20261121T100000Z.tlog", sha256: SHA, sizeBytes: 880_000, importedFileSha256: null,
      integrity: { state: "verified", checkedAt: T0 + 3_000_000, actualSizeBytes: null, actualSha256: null },
      howToCheck: ["Run: sha256sum flight-12-1-20261121T100000Z.tlog"],
    },
    method: ["Heights: GLOBAL_POSITION_INT relative altitude."],
    ...over,
  };
}

function answering(...bodies: Array<{ status: number; body: unknown }>) {
  const calls: string[] = [];
  const fetchFn = vi.fn(async (input: RequestInfo | URL) => {
    calls.push(String(input));
    const next = bodies.length > 1 ? bodies.shift()! : bodies[0]!;
    return new Response(JSON.stringify(next.body), { status: next.status, headers: { "content-type": "application/json" } });
  }) as unknown as typeof fetch;
  return { fetchFn, calls };
}

describe("the flight report page", () => {
  it("shows the logbook fields, the track drawing, the alerts and the SHA-256 with how to check it", async () => {
    const { fetchFn, calls } = answering({ status: 200, body: report() });
    render(<FlightReportPage flightId={12} fetchFn={fetchFn} print={vi.fn()} />);
    await screen.findByText("Flight report: flight 12");
    expect(calls).toEqual(["/api/flights/12/report"]);
    expect(screen.getByText("Drone Unit")).toBeTruthy();
    expect(screen.getByTestId("report-generated-by").textContent).toBe("rita");
    expect(screen.getByTestId("report-pilot").textContent).toContain("pat");
    expect(screen.getByTestId("report-takeoff").textContent).toContain("10:00:34 UTC at 51.507400, -0.127800");
    expect(screen.getByTestId("report-max-height").textContent).toMatch(/30\.0 m \(40\.1 m AMSL\) at 10:01:00 UTC, 51\.508127, -0\.127800/);
    expect(screen.getByTestId("report-max-distance").textContent).toContain("100.5 m");
    expect(screen.getByTestId("report-operation").textContent).toMatch(/^VLOS.*500 m/);
    expect(screen.getByTestId("report-alerts").textContent).toContain("Battery low: 24 %");
    expect(screen.getByTestId("report-sha256").textContent).toContain(SHA);
    expect(screen.getByTestId("report-evidence").textContent).toContain("sha256sum flight-12-1-20261121T100000Z.tlog");
    expect(screen.getByTestId("report-track").getAttribute("d")).toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+){5}$/);
    for (const mark of ["takeoff", "landing", "height", "distance"]) expect(screen.getByTestId(`report-mark-${mark}`)).toBeTruthy();
    expect(screen.getByTestId("report-scale").textContent).toMatch(/^\d+ m$/);
  });

  it("asks the server again with print=1 and prints that answer", async () => {
    const { fetchFn, calls } = answering({ status: 200, body: report() }, { status: 200, body: report({ generatedAt: T0 + 7_200_000 }) });
    const shown: string[] = [];
    const print = vi.fn(() => { shown.push(screen.getByTestId("report-generated-at").textContent ?? ""); });
    render(<FlightReportPage flightId={12} fetchFn={fetchFn} print={print} />);
    fireEvent.click(await screen.findByTestId("report-print"));
    await waitFor(() => expect(print).toHaveBeenCalledTimes(1));
    expect(calls).toEqual(["/api/flights/12/report", "/api/flights/12/report?print=1"]);
    // The dialog copied the page as the audited answer made it.
    expect(shown).toEqual(["2026-11-21 12:00:00 UTC"]);
  });

  it("does not print when the file fails its check, and says why", async () => {
    const refusal = { error: { code: "tlog_altered", message: "the .tlog of flight 12 no longer has the SHA-256 it was sealed with" } };
    const { fetchFn } = answering({ status: 200, body: report() }, { status: 409, body: refusal });
    const print = vi.fn();
    render(<FlightReportPage flightId={12} fetchFn={fetchFn} print={print} />);
    fireEvent.click(await screen.findByTestId("report-print"));
    expect((await screen.findByText(/Not printed:/)).textContent).toContain("no longer has the SHA-256");
    expect(print).not.toHaveBeenCalled();
  });

  it("says a refused report's reason instead of a page", async () => {
    const { fetchFn } = answering({ status: 404, body: { error: { code: "tlog_missing", message: "the .tlog of flight 12 is not in the data directory" } } });
    render(<FlightReportPage flightId={12} fetchFn={fetchFn} />);
    expect((await screen.findByTestId("report-error")).textContent).toContain("not in the data directory");
  });
});
