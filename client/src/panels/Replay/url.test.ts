import { describe, expect, it } from "vitest";
import { formatReplayLink, isReplayPath, parseReplayLink } from "./url";

describe("parseReplayLink", () => {
  it("reads flights, a UTC moment and the alignment", () => {
    expect(parseReplayLink("?flights=12,7&t=2026-11-21T10:14:03.250Z&align=1")).toEqual({
      ok: true, link: { flights: [12, 7], t: Date.UTC(2026, 10, 21, 10, 14, 3, 250), align: true },
    });
  });
  it("starts at the beginning without t, and drops repeated ids", () => {
    expect(parseReplayLink("flights=3,3")).toEqual({ ok: true, link: { flights: [3], t: null, align: false } });
  });
  it("refuses what would open the wrong thing", () => {
    expect(parseReplayLink("")).toMatchObject({ ok: false, message: /no flights/ });
    expect(parseReplayLink("flights=1,x")).toMatchObject({ ok: false, message: /"x" is not a flight id/ });
    expect(parseReplayLink("flights=1,2,3,4,5,6,7,8,9")).toMatchObject({ ok: false, message: /at most 8/ });
    // A local time without a zone is a different moment on every screen.
    expect(parseReplayLink("flights=1&t=2026-11-21T10:14:03")).toMatchObject({ ok: false, message: /not a UTC time/ });
    expect(parseReplayLink("flights=1&t=2026-13-45T10:14:03Z")).toMatchObject({ ok: false });
  });
});

describe("formatReplayLink", () => {
  it("round-trips through the parser to the millisecond", () => {
    const link = { flights: [4, 9], t: Date.UTC(2026, 0, 2, 3, 4, 5, 67), align: true };
    const url = formatReplayLink(link);
    expect(url).toBe("/replay?flights=4,9&t=2026-01-02T03:04:05.067Z&align=1");
    expect(parseReplayLink(url.slice(url.indexOf("?")))).toEqual({ ok: true, link });
  });
  it("leaves out what is not set", () => {
    expect(formatReplayLink({ flights: [1], t: null, align: false })).toBe("/replay?flights=1");
  });
});

describe("isReplayPath", () => {
  it("matches the replay page only", () => {
    expect(isReplayPath("/replay")).toBe(true);
    expect(isReplayPath("/replay/")).toBe(true);
    expect(isReplayPath("/")).toBe(false);
    expect(isReplayPath("/report")).toBe(false);
  });
});
