import { REPLAY_SPEEDS, type ReplaySpeed } from "../../../../server/protocol";

/** What a key press in the replay view does. */
export type ReplayKeyAction =
  | { kind: "toggle" }
  | { kind: "step"; ms: number }
  | { kind: "speed"; direction: 1 | -1 }
  | { kind: "home" }
  | { kind: "end" }
  | { kind: "loop" }
  | { kind: "copyLink" };

/** The part of a KeyboardEvent the mapping reads (so tests need no DOM event). */
export interface KeyLike {
  key: string;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/** Arrow steps: plain 1 s, shift 0.1 s (frame by frame), alt 10 s. */
function stepOf(e: KeyLike): number {
  if (e.altKey) return 10_000;
  if (e.shiftKey) return 100;
  return 1000;
}

/**
 * Maps a key to its action, or null to let the browser have it. Ctrl/Cmd combinations stay the browser's (copy,
 * reload, find); so does typing in a field, which the caller checks (see isTypingTarget).
 */
export function replayKeyAction(e: KeyLike): ReplayKeyAction | null {
  if (e.ctrlKey || e.metaKey) return null;
  switch (e.key) {
    case " ":
      return { kind: "toggle" };
    case "ArrowRight":
      return { kind: "step", ms: stepOf(e) };
    case "ArrowLeft":
      return { kind: "step", ms: -stepOf(e) };
    case "]":
      return { kind: "speed", direction: 1 };
    case "[":
      return { kind: "speed", direction: -1 };
    case "Home":
      return { kind: "home" };
    case "End":
      return { kind: "end" };
    case "l":
    case "L":
      return { kind: "loop" };
    case "c":
    case "C":
      return e.altKey ? null : { kind: "copyLink" };
    default:
      return null;
  }
}

/** Keys typed into a note or picked in a list must not also move the replay. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === "undefined" || !(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable === true;
}

/** The speeds in order, "max" last: ] past 16x goes to "max", [ from "max" back to 16x. */
const LADDER: readonly ReplaySpeed[] = [...REPLAY_SPEEDS, "max"];

export function nextSpeed(speed: ReplaySpeed, direction: 1 | -1): ReplaySpeed {
  const i = LADDER.indexOf(speed);
  const at = i < 0 ? LADDER.indexOf(1) : i;
  return LADDER[Math.min(LADDER.length - 1, Math.max(0, at + direction))] ?? speed;
}

export function formatSpeed(speed: ReplaySpeed): string {
  return speed === "max" ? "max" : `${speed}x`;
}

export function parseSpeed(raw: string): ReplaySpeed | null {
  return LADDER.find((s) => formatSpeed(s) === raw) ?? null;
}

/** A loop being set by L: the first press marks its start, the second its end, the third clears it. */
export type LoopDraft = { phase: "none" } | { phase: "started"; from: number } | { phase: "set"; from: number; to: number };

export interface LoopStep {
  draft: LoopDraft;
  /** What to send to the server: a range to set, null to clear, undefined when nothing changes there yet. */
  send?: { from: number; to: number } | null;
}

/** One L press at `time`. A second press before the first one's time still makes a range (its ends are ordered). */
export function loopStep(draft: LoopDraft, time: number): LoopStep {
  switch (draft.phase) {
    case "none":
      return { draft: { phase: "started", from: time } };
    case "started": {
      if (time === draft.from) return { draft };
      const range = { from: Math.min(draft.from, time), to: Math.max(draft.from, time) };
      return { draft: { phase: "set", ...range }, send: range };
    }
    case "set":
      return { draft: { phase: "none" }, send: null };
  }
}

/** Where an arrow step or Home/End lands, kept inside the session's span. */
export function clampTime(time: number, range: { start: number; end: number }): number {
  return Math.min(range.end, Math.max(range.start, time));
}
