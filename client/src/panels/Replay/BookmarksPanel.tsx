import { useState, type FormEvent } from "react";
import type { Bookmark, BookmarkCreateRequest, ReplayFlight } from "../../../../server/protocol";
import { describeApiError } from "../../access";
import { flightAt } from "./bookmarksApi";
import { formatUtc } from "./format";

export interface BookmarksPanelProps {
  flights: readonly ReplayFlight[];
  bookmarks: readonly Bookmark[];
  loadError: string | null;
  /** Session clock now, and the loop range if one is set (then a range can be bookmarked). */
  time: number;
  loop: { from: number; to: number } | null;
  selectedVehicle: string | null;
  onAdd(flightId: number, req: BookmarkCreateRequest): Promise<void>;
  onSeek(time: number): void;
}

/** The note length the server accepts. */
const NOTE_MAX = 2000;

/**
 * The reviewers' bookmarks of the session's flights, and a form to add one at this moment (or over the loop range).
 * A bookmark is kept on its flight's own clock; the session may shift that flight, so times are converted both ways.
 */
export function BookmarksPanel({ flights, bookmarks, loadError, time, loop, selectedVehicle, onAdd, onSeek }: BookmarksPanelProps) {
  const [note, setNote] = useState("");
  const [useRange, setUseRange] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const at = useRange && loop ? loop.from : time;
  const flight = flightAt(flights, at, selectedVehicle);
  const shiftOf = (id: number) => flights.find((f) => f.id === id)?.shiftMs ?? 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!flight || note.trim() === "") return;
    setBusy(true);
    setError(null);
    const end = useRange && loop ? loop.to - flight.shiftMs : null;
    try {
      await onAdd(flight.id, { time: Math.round(at - flight.shiftMs), end: end === null ? null : Math.round(end), note: note.trim() });
      setNote("");
    } catch (err) {
      setError(`Not saved: ${describeApiError(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="replay-bookmarks" aria-label="Bookmarks" data-testid="replay-bookmarks">
      <h3 className="panel-title">Bookmarks<span className="panel-title__count">{bookmarks.length}</span></h3>
      <form className="replay-bookmarks__form" onSubmit={(e) => void submit(e)}>
        <textarea aria-label="Bookmark note" data-testid="bookmark-note" value={note} maxLength={NOTE_MAX} rows={2}
          placeholder="What happens here" onChange={(e) => setNote(e.target.value)} />
        {loop && (
          <label className="replay-bookmarks__range">
            <input type="checkbox" checked={useRange} onChange={(e) => setUseRange(e.target.checked)} /> the loop range
          </label>
        )}
        <button type="submit" className="btn btn--small" data-testid="bookmark-add" disabled={busy || !flight || note.trim() === ""}>
          {useRange && loop ? "Bookmark this range" : "Bookmark this moment"}
        </button>
        {flight && <span className="replay-bookmarks__on">{`on flight ${flight.id} (${flight.vehicle})`}</span>}
        {error && <span className="tone--danger" role="alert">{error}</span>}
      </form>
      {loadError && <p className="tone--caution" role="status">{`Bookmarks could not be loaded: ${loadError}`}</p>}
      <ol className="replay-bookmarks__list">
        {bookmarks.map((b) => (
          <li key={b.id} className="replay-bookmarks__item">
            <button type="button" className="replay-bookmarks__time" onClick={() => onSeek(b.time + shiftOf(b.flightId))}
              title="Go to this moment">
              {formatUtc(b.time).slice(11, 23)}{b.end !== null ? `–${formatUtc(b.end).slice(11, 23)}` : ""}
            </button>
            <span className="replay-bookmarks__note">{b.note}</span>
            <span className="replay-bookmarks__author">{`${b.author}, flight ${b.flightId}`}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
