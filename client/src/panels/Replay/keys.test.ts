import { describe, expect, it } from "vitest";
import { clampTime, formatSpeed, isTypingTarget, loopStep, nextSpeed, parseSpeed, replayKeyAction, type KeyLike } from "./keys";

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, ...mods });

describe("replayKeyAction", () => {
  it("maps the transport keys", () => {
    expect(replayKeyAction(key(" "))).toEqual({ kind: "toggle" });
    expect(replayKeyAction(key("ArrowRight"))).toEqual({ kind: "step", ms: 1000 });
    expect(replayKeyAction(key("ArrowLeft"))).toEqual({ kind: "step", ms: -1000 });
    expect(replayKeyAction(key("ArrowRight", { shiftKey: true }))).toEqual({ kind: "step", ms: 100 });
    expect(replayKeyAction(key("ArrowLeft", { altKey: true }))).toEqual({ kind: "step", ms: -10_000 });
    expect(replayKeyAction(key("]"))).toEqual({ kind: "speed", direction: 1 });
    expect(replayKeyAction(key("["))).toEqual({ kind: "speed", direction: -1 });
    expect(replayKeyAction(key("Home"))).toEqual({ kind: "home" });
    expect(replayKeyAction(key("End"))).toEqual({ kind: "end" });
    expect(replayKeyAction(key("L", { shiftKey: true }))).toEqual({ kind: "loop" });
    expect(replayKeyAction(key("c"))).toEqual({ kind: "copyLink" });
  });
  it("leaves the browser's own shortcuts and other keys alone", () => {
    expect(replayKeyAction(key("c", { ctrlKey: true }))).toBeNull();
    expect(replayKeyAction(key("ArrowLeft", { metaKey: true }))).toBeNull();
    expect(replayKeyAction(key("x"))).toBeNull();
    expect(replayKeyAction(key("Tab"))).toBeNull();
  });
});

describe("isTypingTarget", () => {
  it("is true in fields only", () => {
    expect(isTypingTarget(document.createElement("textarea"))).toBe(true);
    expect(isTypingTarget(document.createElement("input"))).toBe(true);
    expect(isTypingTarget(document.createElement("button"))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe("speeds", () => {
  it("climbs the ladder to max and back, stopping at its ends", () => {
    expect(nextSpeed(1, 1)).toBe(2);
    expect(nextSpeed(16, 1)).toBe("max");
    expect(nextSpeed("max", 1)).toBe("max");
    expect(nextSpeed("max", -1)).toBe(16);
    expect(nextSpeed(0.1, -1)).toBe(0.1);
  });
  it("formats and parses", () => {
    expect(formatSpeed(0.25)).toBe("0.25x");
    expect(formatSpeed("max")).toBe("max");
    expect(parseSpeed("0.25x")).toBe(0.25);
    expect(parseSpeed("max")).toBe("max");
    expect(parseSpeed("3x")).toBeNull();
  });
});

describe("loopStep", () => {
  it("start, end, clear", () => {
    const a = loopStep({ phase: "none" }, 5000);
    expect(a).toEqual({ draft: { phase: "started", from: 5000 } });
    const b = loopStep(a.draft, 9000);
    expect(b).toEqual({ draft: { phase: "set", from: 5000, to: 9000 }, send: { from: 5000, to: 9000 } });
    expect(loopStep(b.draft, 1)).toEqual({ draft: { phase: "none" }, send: null });
  });
  it("orders the ends when the second press is earlier, and ignores an empty range", () => {
    expect(loopStep({ phase: "started", from: 9000 }, 5000).send).toEqual({ from: 5000, to: 9000 });
    expect(loopStep({ phase: "started", from: 9000 }, 9000)).toEqual({ draft: { phase: "started", from: 9000 } });
  });
});

describe("clampTime", () => {
  it("keeps a step inside the span", () => {
    expect(clampTime(50, { start: 100, end: 200 })).toBe(100);
    expect(clampTime(250, { start: 100, end: 200 })).toBe(200);
    expect(clampTime(150, { start: 100, end: 200 })).toBe(150);
  });
});
