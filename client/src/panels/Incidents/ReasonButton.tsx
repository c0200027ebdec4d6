import { useState } from "react";
import { describeApiError } from "../../access";

export interface ReasonButtonProps {
  label: string;
  /** Names the button, its reason box and its confirm button for tests ("incident-close" -> "incident-close-reason"). */
  testId: string;
  /** Sends with the reason; a refusal (thrown) is shown as the server worded it. */
  onConfirm: (reason: string) => Promise<void>;
  /** Something besides the reason the action needs (a flight id), checked first; returns a problem or null. */
  check?: () => string | null;
  danger?: boolean;
}

/** An action that is on record with its reason (close, reopen, link, unlink): a button, then a reason box and Confirm. */
export function ReasonButton({ label, testId, onConfirm, check, danger }: ReasonButtonProps) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cls = `btn btn--small${danger ? " btn--danger" : ""}`;
  if (!open) return <button type="button" className={cls} data-testid={testId} onClick={() => setOpen(true)}>{label}</button>;

  const confirm = async () => {
    const problem = check?.() ?? (reason.trim() === "" ? "a reason is required" : reason.trim().length > 500 ? "a reason is at most 500 characters" : null);
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
      setOpen(false);
      setReason("");
    } catch (err) {
      setError(describeApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="reason-box" role="group" aria-label={label}>
      <input aria-label={`Reason: ${label}`} placeholder="Reason (kept on record)" data-testid={`${testId}-reason`} value={reason} maxLength={500}
        autoFocus onChange={(e) => setReason(e.target.value)}
        onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); void confirm(); } }} />
      <button type="button" className={cls} disabled={busy} data-testid={`${testId}-confirm`} onClick={() => void confirm()}>
        {busy ? "…" : `Confirm ${label.toLowerCase()}`}
      </button>
      <button type="button" className="btn btn--small btn--quiet" onClick={() => { setOpen(false); setError(null); }}>Cancel</button>
      {error && <span className="tone--danger" role="alert">{error}</span>}
    </span>
  );
}
