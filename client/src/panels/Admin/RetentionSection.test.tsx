import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { DeletionRequest, EvidenceSweepStatus, RetentionOverview } from "../../../../server/protocol";
import { jsonResponse } from "../../test/access";
import { FakeFlightsServer } from "../../test/flights-fetch";
import { RetentionSection } from "./RetentionSection";

afterEach(cleanup);

const T = Date.UTC(2026, 11, 6, 9);
const pending: DeletionRequest = {
  id: 4, kind: "flight", itemId: 12, reason: "Training flight", requestedBy: "ada", requestedAt: T, dueAt: T + 7 * 86_400_000,
  state: "pending", decidedBy: null, decidedAt: null, outcome: null,
};
const overview = (requests: DeletionRequest[]): RetentionOverview => ({
  policy: { nonEvidentialDays: 31, evidentialDays: 2557, recoveryDays: 7 },
  footage: [{ category: "evidential", items: 2, bytes: 3 * 1024 ** 3 }, { category: "legal_hold", items: 1, bytes: 5 * 1024 ** 2 }],
  flights: [{ category: "non_evidential", items: 9, bytes: 40 * 1024 ** 2 }],
  requests,
});
const sweep: EvidenceSweepStatus = {
  running: false,
  last: { startedAt: T, finishedAt: T + 60_000, startedBy: "system", footage: 3, files: 4, bytes: 3 * 1024 ** 3, ok: 2, altered: 1, missing: 0,
    failures: [{ footageId: 7, state: "altered", problem: "original altered: read 3f2c" }], abandoned: false },
};

describe("RetentionSection", () => {
  it("shows the policy, disk use per category, the last integrity check with its failures, and the queue", async () => {
    const server = new FakeFlightsServer({
      "GET /api/retention": () => jsonResponse(200, overview([pending])),
      "GET /api/evidence/sweep": () => jsonResponse(200, sweep),
    });
    render(<RetentionSection fetchFn={server.fetch} />);
    expect((await screen.findByTestId("retention-policy")).textContent).toContain("Kept 31 days when not linked to an incident, 2557 days when linked");
    const usage = screen.getByTestId("retention-usage").textContent ?? "";
    expect(usage).toContain("FootageEvidential23.00 GB");
    expect(usage).toContain("FlightsNon-evidential940.0 MB");
    expect(screen.getByTestId("evidence-sweep").textContent).toContain("4 files, 3.00 GB; 2 intact, 1 altered, 0 missing");
    expect(screen.getByTestId("evidence-sweep-failures").textContent).toBe("Footage 7: original altered: read 3f2c");
    expect(screen.getByTestId("retention-request-4").textContent).toContain("Flight 12Training flightada, 2026-12-06 09:00 UTCDeleted after 2026-12-13 09:00 UTC");
  });

  it("requests a deletion with its reason, cancels one with a reason, and runs the integrity check", async () => {
    let requests: DeletionRequest[] = [];
    let swept = 0;
    const server = new FakeFlightsServer({
      "GET /api/retention": () => jsonResponse(200, overview(requests)),
      "GET /api/evidence/sweep": () => jsonResponse(200, sweep),
      "POST /api/retention/deletions": () => { requests = [pending]; return jsonResponse(201, pending); },
      "POST /api/retention/deletions/4/cancel": () => { requests = [{ ...pending, state: "cancelled", decidedBy: "ada", outcome: "still needed" }]; return jsonResponse(200, requests[0]); },
      "POST /api/evidence/sweep": () => { swept += 1; return jsonResponse(200, sweep.last); },
    });
    render(<RetentionSection fetchFn={server.fetch} ask={() => "still needed"} />);
    await screen.findByText("No deletion requested.");
    fireEvent.change(screen.getByTestId("retention-kind"), { target: { value: "flight" } });
    fireEvent.change(screen.getByTestId("retention-id"), { target: { value: "12" } });
    fireEvent.change(screen.getByTestId("retention-reason"), { target: { value: "Training flight" } });
    fireEvent.click(screen.getByTestId("retention-request"));
    await screen.findByTestId("retention-cancel-4");
    const posted = server.calls.find((c) => c.method === "POST" && c.url.pathname === "/api/retention/deletions");
    expect(JSON.parse(String(posted?.init?.body))).toEqual({ kind: "flight", id: 12, reason: "Training flight" });
    fireEvent.click(screen.getByTestId("retention-cancel-4"));
    await waitFor(() => expect(screen.getByTestId("retention-request-4").textContent).toContain("cancelled by ada: still needed"));
    const cancelled = server.calls.find((c) => c.url.pathname === "/api/retention/deletions/4/cancel");
    expect(JSON.parse(String(cancelled?.init?.body))).toEqual({ reason: "still needed" });
    fireEvent.click(screen.getByTestId("evidence-sweep-run"));
    await waitFor(() => expect(screen.getByTestId("retention-message").textContent).toBe("Integrity check finished."));
    expect(swept).toBe(1);
  });

  it("says why when the server refuses", async () => {
    const server = new FakeFlightsServer({
      "GET /api/retention": () => jsonResponse(200, overview([])),
      "GET /api/evidence/sweep": () => jsonResponse(200, sweep),
      "POST /api/retention/deletions": () => jsonResponse(409, { error: { code: "legal_hold", message: "legal hold: linked to open incident CAD 1/21NOV26" } }),
    });
    render(<RetentionSection fetchFn={server.fetch} />);
    await screen.findByText("No deletion requested.");
    fireEvent.change(screen.getByTestId("retention-id"), { target: { value: "3" } });
    fireEvent.change(screen.getByTestId("retention-reason"), { target: { value: "x" } });
    fireEvent.click(screen.getByTestId("retention-request"));
    await waitFor(() => expect(screen.getByTestId("retention-message").textContent).toContain("legal hold: linked to open incident CAD 1/21NOV26"));
  });
});
