import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { HealthResponse } from "../../../../server/protocol";
import { jsonResponse } from "../../test/access";
import { FakeFlightsServer } from "../../test/flights-fetch";
import { ServerSection } from "./ServerSection";

afterEach(cleanup);

const loop = { windowSeconds: 60, p50Ms: 10, p99Ms: 23, maxMs: 31 };
const single: HealthResponse = {
  status: "ok", version: "0.1.0", uptimeSeconds: 3 * 3600 + 25 * 60, vehicles: 3, links: [], replaySessions: 0,
  eventLoop: { lastWindow: loop, current: loop }, frames: { viewersBehind: 1, resyncs: 2 },
  alertStore: { waiting: 0, dropped: 0, eventsNotStored: 0 }, flightCatalogue: { waiting: 0 }, cluster: null,
};
const clustered: HealthResponse = {
  ...single,
  flightCatalogue: { waiting: 2 },
  cluster: {
    servers: 1, vehicles: 100, refused: 0, conflicts: 0, redis: "ready", notPublished: 0, published: { messages: 10, bytes: 1000 },
    requests: { forwarded: 12, served: 3, pending: 0, failed: 1, refused: 0 },
    links: { held: ["tcpout://10.0.0.9:5760"], standby: ["tcpout://10.0.0.10:5760"], takenOver: 1, lost: 0 },
    succession: { succeeded: 1, settling: 0 },
  },
};

describe("ServerSection", () => {
  it("shows one server's event loop and what waits to be written", async () => {
    const server = new FakeFlightsServer({ "GET /api/health": () => jsonResponse(200, single) });
    render(<ServerSection fetchFn={server.fetch} />);
    expect((await screen.findByTestId("server-summary")).textContent).toBe("Serverversion 0.1.0, up 3 h 25 min; 3 vehicles on its links");
    expect(screen.getByTestId("server-section").textContent).toContain("late by 23 ms at p99, 31 ms at most (last 60 s)");
    expect(screen.getByTestId("server-waiting").className).toBe("");
    expect(screen.queryByTestId("server-deployment")).toBeNull();
  });

  it("shows the deployment: other servers, requests between them, shared links, and marks what needs attention", async () => {
    const server = new FakeFlightsServer({ "GET /api/health": () => jsonResponse(200, clustered) });
    render(<ServerSection fetchFn={server.fetch} />);
    expect((await screen.findByTestId("server-deployment")).textContent).toContain("this server and 1 other through Redis (ready); 100 of their vehicles shown here");
    expect(screen.getByTestId("server-requests").textContent).toContain("12 sent to the server with the vehicle, 3 run here for others, 0 waiting, 1 failed");
    expect(screen.getByTestId("server-requests").className).toBe("tone--caution");
    expect(screen.getByTestId("server-links").textContent)
      .toContain("run here: tcpout://10.0.0.9:5760; standing by for: tcpout://10.0.0.10:5760; 1 taken over, 0 let go");
    expect(screen.getByTestId("server-waiting").className).toBe("tone--caution");
  });

  it("says why when the server cannot be asked", async () => {
    const server = new FakeFlightsServer({ "GET /api/health": () => jsonResponse(503, { error: { code: "unavailable", message: "database away" } }) });
    render(<ServerSection fetchFn={server.fetch} />);
    expect((await screen.findByRole("status")).textContent).toMatch(/database away/);
  });
});
