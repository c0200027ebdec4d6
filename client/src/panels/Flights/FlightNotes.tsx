import { useState, type FormEvent } from "react";
import type { FlightNote } from "../../../../server/protocol";
import { describeApiError } from "../../access";
import { formatDateTime } from "./format";

/** The server's limit (flight-routes.ts). */
const NOTE_MAX = 4000;

function AddNote({ onAdd }: { onAdd: (text: string) => Promise<void> }) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await onAdd(text.trim());
      setText("");
    } catch (err) {
      setError(describeApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="flights__note-form" onSubmit={submit} aria-label="Add a note">
      <textarea aria-label="Note" placeholder="Add a note (kept with the flight record)" rows={2} maxLength={NOTE_MAX}
        value={text} onChange={(e) => setText(e.target.value)} />
      <button className="btn btn--primary" type="submit" disabled={busy || !text.trim()}>
        {busy ? "Adding…" : "Add note"}
      </button>
      {error && <p className="tone--danger" role="alert">{`The note was not added: ${error}`}</p>}
    </form>
  );
}

/** The flight's notes, oldest first; reviewers may add one (notes are never edited: they are part of the record). */
export function FlightNotes({ notes, onAdd }: { notes: readonly FlightNote[]; onAdd: ((text: string) => Promise<void>) | null }) {
  return (
    <section className="flights__notes" aria-label="Notes">
      <h4 className="flights__label">Notes</h4>
      {notes.length === 0 ? (
        <p className="empty">No notes.</p>
      ) : (
        <ul className="flights__note-list">
          {notes.map((n) => (
            <li key={n.id}>
              <span className="flights__note-meta">{`${n.author}, ${formatDateTime(n.time)}`}</span>
              <span className="flights__note-text">{n.text}</span>
            </li>
          ))}
        </ul>
      )}
      {onAdd && <AddNote onAdd={onAdd} />}
    </section>
  );
}
