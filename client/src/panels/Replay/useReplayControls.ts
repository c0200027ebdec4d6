import { useCallback, useEffect, useRef, useState } from "react";
import type { ReplayControl, ReplaySpeed, ReplayState } from "../../../../server/protocol";
import { clampTime, loopStep, nextSpeed, type LoopDraft, type ReplayKeyAction } from "./keys";
import type { Span } from "./marks";
import { formatReplayLink, type ReplayLink } from "./url";

export interface ReplayControls {
  toggle(): void;
  seek(time: number): void;
  setSpeed(speed: ReplaySpeed): void;
  copyLink(): void;
  onKey(action: ReplayKeyAction): void;
  /** The loop's first end while the second is not set yet. */
  loopStart: number | null;
  notice: string | null;
}

/** How long "link copied" stays up. */
const NOTICE_MS = 2500;

export interface ControlsOptions {
  state: ReplayState | null;
  span: Span;
  link: ReplayLink;
  control(c: ReplayControl): Promise<void>;
  /** navigator.clipboard.writeText by default. */
  writeClipboard?: (text: string) => Promise<void>;
}

/**
 * Transport actions over the replay socket. Seeks are sent one at a time, the newest winning: dragging the slider
 * or holding an arrow makes many, and the server restoring a checkpoint for each stale one helps nobody. Steps
 * count from the newest target asked for, not from the last state heard (which lags while a seek is under way).
 */
export function useReplayControls({ state, span, link, control, writeClipboard }: ControlsOptions): ReplayControls {
  const inFlight = useRef(false);
  const queued = useRef<number | null>(null);
  const target = useRef<number | null>(null);
  const [loop, setLoop] = useState<LoopDraft>({ phase: "none" });
  const [notice, setNotice] = useState<string | null>(null);
  const now = () => target.current ?? state?.time ?? span.start;

  const seek = useCallback((time: number) => {
    const t = clampTime(time, span);
    target.current = t;
    if (inFlight.current) {
      queued.current = t;
      return;
    }
    inFlight.current = true;
    const send = (at: number): Promise<void> => control({ action: "seek", time: at }).then(() => {
      const next = queued.current;
      queued.current = null;
      if (next !== null) return send(next);
      inFlight.current = false;
      target.current = null;
    });
    void send(t);
  }, [control, span]);

  const toggle = useCallback(() => void control({ action: state?.playing ? "pause" : "play" }), [control, state?.playing]);
  const setSpeed = useCallback((speed: ReplaySpeed) => void control({ action: "speed", speed }), [control]);

  const copyLink = useCallback(() => {
    const url = `${window.location.origin}${formatReplayLink({ ...link, t: state?.time ?? link.t })}`;
    const write = writeClipboard ?? ((text: string) => navigator.clipboard.writeText(text));
    write(url).then(() => setNotice("link copied"), () => setNotice(`copy this link: ${url}`));
  }, [link, state?.time, writeClipboard]);

  useEffect(() => {
    if (notice === null) return;
    const id = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(id);
  }, [notice]);

  // The address bar follows the moment shown when playback stops, not every frame (history entries are not free).
  useEffect(() => {
    if (!state || state.playing) return;
    window.history.replaceState(window.history.state, "", formatReplayLink({ ...link, t: state.time }));
  }, [state, link]);

  const onKey = (action: ReplayKeyAction) => {
    switch (action.kind) {
      case "toggle":
        return toggle();
      case "step":
        return seek(now() + action.ms);
      case "speed":
        return setSpeed(nextSpeed(state?.speed ?? 1, action.direction));
      case "home":
        return seek(span.start);
      case "end":
        return seek(span.end);
      case "copyLink":
        return copyLink();
      case "loop": {
        const step = loopStep(state?.loop && loop.phase === "none" ? { phase: "set", ...state.loop } : loop, now());
        setLoop(step.draft);
        if (step.send !== undefined) void control({ action: "loop", range: step.send });
        return;
      }
    }
  };

  return { toggle, seek, setSpeed, copyLink, onKey, loopStart: loop.phase === "started" ? loop.from : null, notice };
}
