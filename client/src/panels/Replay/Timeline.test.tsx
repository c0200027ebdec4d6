import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ReplayFlight, ReplayMark } from "../../../../server/protocol";
import { Timeline } from "./Timeline";

afterEach(cleanup);

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const flights: ReplayFlight[] = [
  { id: 1, vehicle: "1:1", vehicleType: "copter", startedAt: T0, endedAt: T0 + 100_000, shiftMs: 0, integrity: "verified", sha256: null },
  { id: 2, vehicle: "2:1", vehicleType: "copter", startedAt: T0 + 20_000, endedAt: T0 + 80_000, shiftMs: 0, integrity: "verified", sha256: null },
];
const marks: ReplayMark[] = [
  { time: T0 + 10_000, vehicle: "1:1", kind: "armed", text: "Armed" },
  { time: T0 + 40_000, vehicle: "1:1", kind: "mode", text: "AUTO → RTL (not commanded)", uncommanded: true },
  { time: T0 + 50_000, end: T0 + 55_000, vehicle: "2:1", kind: "link_gap", text: "No packets for 5.0 s" },
];

describe("Timeline", () => {
  it("draws a lane per vehicle with its marks; hovering shows the text and a click seeks to the mark", () => {
    const onSeek = vi.fn();
    render(<Timeline flights={flights} marks={marks} span={{ start: T0, end: T0 + 100_000 }} time={T0 + 30_000} loop={null} onSeek={onSeek} />);
    expect(screen.getByTestId("timeline-lane-1:1")).toBeTruthy();
    expect(screen.getByTestId("timeline-lane-2:1")).toBeTruthy();
    const mode = screen.getAllByTestId("timeline-mark").find((m) => m.dataset.kind === "mode");
    expect(mode?.getAttribute("title")).toBe("AUTO → RTL (not commanded)");
    expect(mode?.dataset.uncommanded).toBe("true");
    expect(mode?.className).toContain("replay-mark--uncommanded");
    fireEvent.click(mode as HTMLElement);
    expect(onSeek).toHaveBeenCalledWith(T0 + 40_000);
    const gap = screen.getAllByTestId("timeline-mark").find((m) => m.dataset.kind === "link_gap");
    expect(gap?.style.left).toBe("50%");
    expect(parseFloat(gap?.style.width ?? "")).toBeCloseTo(5);
  });
});
