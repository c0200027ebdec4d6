import { useCallback, useState } from "react";
import type { Result } from "../../../../server/protocol";
import { resultText } from "./summary";

export interface Outcome {
  ok: boolean;
  text: string;
}

/**
 * Runs one vehicle or file action at a time and keeps what came of it in words. A rejected promise (socket
 * gone, HTTP down) is reported like a refusal rather than lost in the console.
 */
export function useOutcome() {
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const run = useCallback(async <T>(what: string, action: () => Promise<Result<T>>, success: (v: T) => string, then?: (v: T) => void) => {
    setBusy(what);
    setOutcome(null);
    try {
      const r = await action();
      setOutcome(resultText(what, r, success));
      if (r.ok) then?.(r.value);
    } catch (e) {
      setOutcome({ ok: false, text: `${what} failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setBusy(null);
    }
  }, []);

  return { busy, outcome, run };
}
