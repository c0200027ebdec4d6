import { useState, type ReactNode } from "react";
import { INCIDENT_TYPES, type IncidentInput, type IncidentType } from "../../../../server/protocol";
import { describeApiError } from "../../access";
import { checkDraft, REFERENCE_RULE, type DraftField, type DraftProblems, type IncidentDraft } from "./draft";
import { INCIDENT_TYPE_LABELS } from "./format";
import { PlaceEditor } from "./PlaceEditor";

export interface IncidentFormProps {
  initial: IncidentDraft;
  submitLabel: string;
  /** Sends the checked input; a refusal (thrown) is shown as the server worded it. */
  onSubmit: (input: IncidentInput) => Promise<void>;
  onCancel: () => void;
}

function Field({ label, problem, children, wide }: { label: string; problem?: string; children: ReactNode; wide?: boolean }) {
  return (
    <label className={wide ? "incident-form__field incident-form__field--wide" : "incident-form__field"}>
      <span className="incident-form__label">{label}</span>
      {children}
      {problem && <span className="incident-form__problem tone--danger">{problem}</span>}
    </label>
  );
}

/** The new-incident and edit form: checks what the server checks, then shows the server's word if it still refuses. */
export function IncidentForm({ initial, submitLabel, onSubmit, onCancel }: IncidentFormProps) {
  const [draft, setDraft] = useState<IncidentDraft>(initial);
  const [problems, setProblems] = useState<DraftProblems>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends DraftField>(key: K, value: IncidentDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const text = (key: "reference" | "title" | "officer" | "start" | "end") => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
    "aria-invalid": problems[key] ? true : undefined,
  });

  const submit = async () => {
    const checked = checkDraft(draft);
    setRefusal(null);
    if (!checked.ok) return setProblems(checked.problems);
    setProblems({});
    setBusy(true);
    try {
      await onSubmit(checked.input);
    } catch (err) {
      setRefusal(describeApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="incident-form" data-testid="incident-form" noValidate
      onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <Field label="Reference (CAD or crime number)" problem={problems.reference}>
        <input name="reference" title={REFERENCE_RULE} {...text("reference")} />
      </Field>
      <Field label="Title" problem={problems.title}><input name="title" maxLength={200} {...text("title")} /></Field>
      <Field label="Type">
        <select name="type" value={draft.type} onChange={(e) => set("type", e.target.value as IncidentType)}>
          {INCIDENT_TYPES.map((t) => <option key={t} value={t}>{INCIDENT_TYPE_LABELS[t]}</option>)}
        </select>
      </Field>
      <Field label="Officer in charge" problem={problems.officer}><input name="officer" maxLength={120} {...text("officer")} /></Field>
      <Field label="Start (UTC)" problem={problems.start}><input name="start" type="datetime-local" {...text("start")} /></Field>
      <Field label="End (UTC, empty while ongoing)" problem={problems.end}><input name="end" type="datetime-local" {...text("end")} /></Field>
      <Field label="Notes" problem={problems.notes} wide>
        <textarea name="notes" rows={3} value={draft.notes} onChange={(e) => set("notes", e.target.value)} />
      </Field>
      <PlaceEditor value={draft.location} onChange={(l) => set("location", l)} problem={problems.location} />
      {refusal && <p className="tone--danger" role="alert" data-testid="incident-form-refusal">{refusal}</p>}
      <div className="incident-form__actions">
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="incident-save">{busy ? "Saving…" : submitLabel}</button>
        <button type="button" className="btn btn--quiet" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
