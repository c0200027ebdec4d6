import { useEffect, useState } from "react";
import { shortHash } from "./format";

type CopyState = "idle" | "copied" | "failed";

/** A SHA-256: short on screen, whole on hover, and a button that copies the whole of it. */
export function HashText({ sha256, flightId, full = false, testId, copyLabel }: { sha256: string | null; flightId: number; full?: boolean; testId?: string; copyLabel?: string }) {
  const [copy, setCopy] = useState<CopyState>("idle");
  useEffect(() => {
    if (copy === "idle") return;
    const timer = setTimeout(() => setCopy("idle"), 2000);
    return () => clearTimeout(timer);
  }, [copy]);

  if (!sha256) return <span className="flights__hash">{shortHash(null)}</span>;
  const doCopy = async () => {
    try {
      await navigator.clipboard.writeText(sha256);
      setCopy("copied");
    } catch {
      // No clipboard outside a secure context: the full hash stays selectable in the detail pane.
      setCopy("failed");
    }
  };
  return (
    <span className="flights__hash">
      <code title={sha256} data-testid={testId ?? (full ? "flight-detail-sha256" : `flight-sha256-${flightId}`)}>{full ? sha256 : shortHash(sha256)}</code>
      <button type="button" className="btn btn--small" aria-label={copyLabel ?? (full ? "Copy this flight's SHA-256" : `Copy the SHA-256 of flight ${flightId}`)}
        onClick={(e) => { e.stopPropagation(); void doCopy(); }}>
        {copy === "copied" ? "Copied" : copy === "failed" ? "Copy failed" : "Copy"}
      </button>
    </span>
  );
}
