import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FlightChartsResponse, ReplayFlight } from "../../../../../server/protocol";
import { jsonResponse } from "../../../test/access";
import { FakeFlightsServer } from "../../../test/flights-fetch";

// jsdom has no canvas, Path2D or matchMedia, which uPlot needs at import and to draw: a 2D context and paths that
// draw nothing (the context records where lines start, to see the session's cursor drawn) and a media query that
// never matches. What is drawn is checked by eye in the browser test; here, what is built and asked for.
const drawn = vi.hoisted(() => {
  const lines: number[] = [];
  window.matchMedia = ((query: string) => ({
    matches: false, media: query, onchange: null, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {},
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
  globalThis.Path2D = class {
    moveTo() {}
    lineTo() {}
    rect() {}
    arc() {}
    closePath() {}
    bezierCurveTo() {}
    addPath() {}
  } as unknown as typeof Path2D;
  HTMLCanvasElement.prototype.getContext = function getContext(this: HTMLCanvasElement) {
    return new Proxy({ canvas: this }, {
      get: (t, prop) => prop === "canvas" ? t.canvas
        : prop === "measureText" ? () => ({ width: 20, actualBoundingBoxAscent: 8, actualBoundingBoxDescent: 2 })
          : prop === "moveTo" ? (x: number) => lines.push(x)
            : () => undefined,
      set: () => true,
    });
  } as unknown as typeof HTMLCanvasElement.prototype.getContext;
  return lines;
});

const { ReplayCharts } = await import("./ReplayCharts");

afterEach(cleanup);

const T0 = Date.UTC(2026, 10, 21, 9, 36, 42, 551);
const FLIGHTS: ReplayFlight[] = [1, 2].map((id) => ({
  id, vehicle: `${id}:1` as const, vehicleType: "copter", startedAt: T0, endedAt: T0 + 195_000, shiftMs: 0,
  integrity: "verified", sha256: null,
}));
const CHARTS: FlightChartsResponse = {
  flightId: 1, vehicle: "1:1", t0: T0, entries: 21_259, maxPoints: 2000,
  series: {
    altRelative: { t: [0, 60_000, 120_000], v: [0, 30, 0] },
    altAmsl: { t: [0, 60_000, 120_000], v: [10, 40, 10] },
    voltage: { t: [0, 120_000], v: [12.6, 11.9] },
  },
};

function renderCharts(server: FakeFlightsServer, time = T0 + 30_000) {
  const onSeek = vi.fn();
  const onHover = vi.fn();
  const view = render(
    <ReplayCharts flights={FLIGHTS} time={time} range={{ start: T0, end: T0 + 195_000 }} onSeek={onSeek} onHover={onHover} fetchFn={server.fetch} />,
  );
  return { ...view, onSeek, onHover };
}

describe("ReplayCharts", () => {
  it("fetches each flight's charts, draws those the files have, and says which flight has none and why", async () => {
    const server = new FakeFlightsServer({
      "GET /api/flights/1/charts": () => jsonResponse(200, CHARTS),
      "GET /api/flights/2/charts": () => jsonResponse(409, { error: { code: "tlog_altered", message: "the .tlog of flight 2 no longer has the SHA-256 it was sealed with: nothing sent, report it" } }),
    });
    const { container } = renderCharts(server);
    expect(screen.getByRole("status").textContent).toMatch(/Reading/);
    await waitFor(() => expect(container.querySelectorAll("figure.replay-chart")).toHaveLength(2));
    expect([...container.querySelectorAll("figcaption")].map((f) => f.textContent)).toEqual(["Altitude", "Battery voltage"]);
    expect(screen.getByRole("alert").textContent).toMatch(/flight 2: the \.tlog of flight 2 no longer has the SHA-256/);
    expect(server.calls.map((c) => c.url.pathname)).toEqual(["/api/flights/1/charts", "/api/flights/2/charts"]);
    // uPlot's legend names each line; with two flights, by vehicle and flight. uPlot is built in an effect, which
    // React may run after the figures are committed: wait for it rather than assume the same tick.
    await waitFor(() => expect(container.textContent).toContain("above home · 1:1 #1"));
    expect(container.textContent).toContain("AMSL · 1:1 #1");
    expect(container.querySelector("canvas")).not.toBeNull();
  });

  it("redraws the session's cursor as the time moves, without asking the server again", async () => {
    const server = new FakeFlightsServer({ "GET /api/flights/1/charts": () => jsonResponse(200, CHARTS) });
    const one = [FLIGHTS[0]!];
    const props = { flights: one, range: { start: T0, end: T0 + 195_000 }, onSeek: vi.fn(), onHover: vi.fn(), fetchFn: server.fetch };
    const { container, rerender } = render(<ReplayCharts {...props} time={T0} />);
    await waitFor(() => expect(container.querySelectorAll("figure.replay-chart")).toHaveLength(2));
    const before = drawn.length;
    rerender(<ReplayCharts {...props} time={T0 + 90_000} />);
    await waitFor(() => expect(drawn.length).toBeGreaterThan(before));
    expect(server.calls).toHaveLength(1);
  });

  it("previews the moment under the pointer and seeks to it on a click", async () => {
    const server = new FakeFlightsServer({ "GET /api/flights/1/charts": () => jsonResponse(200, CHARTS) });
    const onSeek = vi.fn();
    const onHover = vi.fn();
    const { container } = render(<ReplayCharts flights={[FLIGHTS[0]!]} time={T0} range={{ start: T0, end: T0 + 195_000 }}
      onSeek={onSeek} onHover={onHover} fetchFn={server.fetch} />);
    await waitFor(() => expect(container.querySelector(".u-over")).not.toBeNull());
    const over = container.querySelector<HTMLElement>(".u-over")!;
    fireEvent.mouseMove(over, { clientX: 100, clientY: 40 });
    await waitFor(() => expect(onHover).toHaveBeenCalledWith(expect.any(Number)));
    const hovered = onHover.mock.calls.findLast(([t]) => t !== null)![0] as number;
    expect(hovered).toBeGreaterThan(T0);
    expect(hovered).toBeLessThan(T0 + 195_000);
    fireEvent.click(over);
    expect(onSeek).toHaveBeenCalledWith(hovered);
    fireEvent.mouseLeave(container.querySelector(".replay-charts")!);
    expect(onHover).toHaveBeenLastCalledWith(null);
  });

  it("says so when the flights have no chart data", async () => {
    const server = new FakeFlightsServer({ "GET /api/flights/1/charts": () => jsonResponse(200, { ...CHARTS, series: {} }) });
    render(<ReplayCharts flights={[FLIGHTS[0]!]} time={T0} range={{ start: T0, end: T0 + 1 }} onSeek={vi.fn()} onHover={vi.fn()} fetchFn={server.fetch} />);
    await waitFor(() => expect(screen.getByText("These flights have no chart data.")).toBeTruthy());
  });
});
