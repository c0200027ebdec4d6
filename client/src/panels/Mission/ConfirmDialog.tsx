import { useEffect, useId, useRef } from "react";

export interface ConfirmRequest {
  title: string;
  lines: string[];
  onConfirm: () => void;
}

/** An in-page confirmation (not window.confirm: it names the vehicle and counts, and a test can drive it). */
export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose: () => void }) {
  const titleId = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  // Focus starts on Cancel: Enter pressed by habit must not send a plan to a drone.
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="mdialog__backdrop">
      <div
        className="mdialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(e) => {
          if (e.key === "Escape") onClose();
        }}
      >
        <h3 id={titleId} className="mdialog__title">{request.title}</h3>
        {request.lines.map((line, i) => <p key={i} className="mdialog__line">{line}</p>)}
        <div className="mdialog__buttons">
          <button ref={cancel} type="button" className="btn" onClick={onClose}>Cancel</button>
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => {
              onClose();
              request.onConfirm();
            }}
          >
            Confirm
          </button>
        </div>
      </div>
    </div>
  );
}
