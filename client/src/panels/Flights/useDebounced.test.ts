import { act, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useDebounced } from "./useDebounced";

afterEach(() => vi.useRealTimers());

describe("useDebounced", () => {
  it("gives the value once it has stopped changing for the delay", () => {
    vi.useFakeTimers();
    const { result, rerender } = renderHook(({ v }) => useDebounced(v, 300), { initialProps: { v: "a" } });
    rerender({ v: "ab" });
    act(() => void vi.advanceTimersByTime(200));
    rerender({ v: "abc" });
    act(() => void vi.advanceTimersByTime(200));
    expect(result.current).toBe("a");
    act(() => void vi.advanceTimersByTime(100));
    expect(result.current).toBe("abc");
  });

  it("passes the value straight through with no delay", () => {
    const { result, rerender } = renderHook(({ v }) => useDebounced(v, 0), { initialProps: { v: 1 } });
    rerender({ v: 2 });
    expect(result.current).toBe(2);
  });
});
