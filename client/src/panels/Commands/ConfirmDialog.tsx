import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { secondConfirmed, type Fact, type SecondConfirmation } from "./confirm";

export interface ConfirmDialogProps {
  title: string;
  body: string;
  /** What the dialog is about (the vehicle's facts, the fleet list). */
  children?: ReactNode;
  /** A forced command: Confirm leads to a second step that must be completed explicitly. */
  second?: SecondConfirmation | null;
  onConfirm(): void;
  onCancel(): void;
}

export function FactList({ facts }: { facts: readonly Fact[] }) {
  return (
    <dl className="cmd-facts">
      {facts.map((f) => (
        <div key={f.label} className="cmd-facts__row">
          <dt>{f.label}</dt>
          <dd>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function SecondStep({ second, typed, ticked, onType, onTick }: {
  second: SecondConfirmation;
  typed: string;
  ticked: boolean;
  onType(v: string): void;
  onTick(v: boolean): void;
}) {
  return (
    <div className="cmd-dialog__second">
      <p className="cmd-dialog__warning">Second confirmation</p>
      <label className="cmd-field">
        <span>{second.typeLabel}</span>
        <input value={typed} inputMode="numeric" autoComplete="off" onChange={(e) => onType(e.target.value)} />
      </label>
      <label className="cmd-check">
        <input type="checkbox" checked={ticked} onChange={(e) => onTick(e.target.checked)} />
        <span>{second.tickLabel}</span>
      </label>
    </div>
  );
}

/**
 * A modal question over the whole screen (a portal, so the map's stacking cannot cover it). Cancel has the
 * focus, so Enter or a double click never confirms a dangerous action by accident; Escape cancels.
 */
export function ConfirmDialog({ title, body, children, second = null, onConfirm, onCancel }: ConfirmDialogProps) {
  const titleId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [step, setStep] = useState<1 | 2>(1);
  const [typed, setTyped] = useState("");
  const [ticked, setTicked] = useState(false);
  useEffect(() => cancelRef.current?.focus(), [step]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") onCancel();
  };
  const onStep = second && step === 2;
  const confirm = () => {
    if (second && step === 1) setStep(2);
    else onConfirm();
  };
  const ready = !onStep || secondConfirmed(second, typed, ticked);

  return createPortal(
    <div className="cmd-dialog__backdrop">
      <div className="cmd-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <h2 id={titleId} className="cmd-dialog__title">{title}</h2>
        <p className="cmd-dialog__body">{body}</p>
        {children}
        {onStep && <SecondStep second={second} typed={typed} ticked={ticked} onType={setTyped} onTick={setTicked} />}
        <div className="cmd-dialog__buttons">
          <button ref={cancelRef} className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button className="btn btn--primary" disabled={!ready} onClick={confirm}>
            Confirm
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
