import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ReplayControl, ReplayState } from "../../../../server/protocol";
import { useReplayControls } from "./useReplayControls";

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const span = { start: T0, end: T0 + 600_000 };
const state = (over: Partial<ReplayState> = {}): ReplayState =>
  ({ playing: false, speed: 1, time: T0 + 60_000, vehicleTime: {}, loop: null, ended: false, ...over });

/** A server whose answers the test releases one at a time. */
function server() {
  const sent: ReplayControl[] = [];
  const pending: (() => void)[] = [];
  const control = (c: ReplayControl) => new Promise<void>((resolve) => {
    sent.push(c);
    pending.push(resolve);
  });
  const answer = async () => {
    await act(async () => pending.shift()?.());
  };
  return { sent, control, answer };
}

describe("useReplayControls", () => {
  it("sends one seek at a time, the newest winning, and steps from the newest target", async () => {
    const s = server();
    const link = { flights: [1], t: null, align: false };
    const { result } = renderHook(() => useReplayControls({ state: state(), span, link, control: s.control }));
    act(() => result.current.onKey({ kind: "step", ms: 1000 }));
    act(() => result.current.onKey({ kind: "step", ms: 1000 }));
    act(() => result.current.onKey({ kind: "step", ms: 10_000 }));
    expect(s.sent).toEqual([{ action: "seek", time: T0 + 61_000 }]);
    await s.answer();
    expect(s.sent.at(-1)).toEqual({ action: "seek", time: T0 + 72_000 }); // 62 s was overtaken by 72 s
    await s.answer();
    expect(s.sent).toHaveLength(2);
    act(() => result.current.onKey({ kind: "home" }));
    expect(s.sent.at(-1)).toEqual({ action: "seek", time: T0 });
    await s.answer();
    act(() => result.current.onKey({ kind: "step", ms: -10_000 }));
    expect(s.sent.at(-1)).toEqual({ action: "seek", time: T0 + 50_000 }); // from the state heard, clamped to the span
  });

  it("toggles, changes speed along the ladder and sets then clears a loop with L", async () => {
    const s = server();
    const link = { flights: [1], t: null, align: false };
    let st = state({ speed: 16 });
    const { result, rerender } = renderHook(() => useReplayControls({ state: st, span, link, control: s.control }));
    act(() => result.current.onKey({ kind: "toggle" }));
    act(() => result.current.onKey({ kind: "speed", direction: 1 }));
    expect(s.sent).toEqual([{ action: "play" }, { action: "speed", speed: "max" }]);
    act(() => result.current.onKey({ kind: "loop" }));
    expect(result.current.loopStart).toBe(T0 + 60_000);
    st = state({ time: T0 + 90_000 });
    rerender();
    act(() => result.current.onKey({ kind: "loop" }));
    expect(s.sent.at(-1)).toEqual({ action: "loop", range: { from: T0 + 60_000, to: T0 + 90_000 } });
    act(() => result.current.onKey({ kind: "loop" }));
    expect(s.sent.at(-1)).toEqual({ action: "loop", range: null });
  });

  it("copies the link of the moment and writes it into the address bar on pause", async () => {
    const s = server();
    const copied: string[] = [];
    const link = { flights: [3, 4], t: null, align: true };
    const { result } = renderHook(() => useReplayControls({
      state: state(), span, link, control: s.control, writeClipboard: async (text) => { copied.push(text); },
    }));
    await act(async () => result.current.onKey({ kind: "copyLink" }));
    expect(copied).toEqual([`${window.location.origin}/replay?flights=3,4&t=2026-11-21T10:01:00.000Z&align=1`]);
    expect(result.current.notice).toBe("link copied");
    expect(window.location.pathname + window.location.search).toBe("/replay?flights=3,4&t=2026-11-21T10:01:00.000Z&align=1");
  });
});
