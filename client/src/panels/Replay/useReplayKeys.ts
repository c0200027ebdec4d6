import { useEffect, useRef } from "react";
import { isTypingTarget, replayKeyAction, type ReplayKeyAction } from "./keys";

/**
 * The replay's keyboard on the whole page (space, arrows, [ ], Home/End, L, C), except while typing a note. The
 * handler is read through a ref so the listener is added once, not on every replay state change.
 */
export function useReplayKeys(onAction: (action: ReplayKeyAction) => void): void {
  const handler = useRef(onAction);
  useEffect(() => {
    handler.current = onAction;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target)) return;
      const action = replayKeyAction(e);
      if (!action) return;
      // Space would also press a focused button (play twice) and arrows would move a focused slider or scroll.
      e.preventDefault();
      handler.current(action);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
