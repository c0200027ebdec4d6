import { useCallback, useEffect, useState } from "react";
import type { FlightIntegrity, FlightMessagesResponse, FlightNote, FlightSummary } from "../../../../server/protocol";
import { describeApiError } from "../../access";
import type { FlightsApi } from "./api";
import { trackLines, type TrackLine } from "./geo";

export interface FlightDetailState {
  flight: FlightSummary | null;
  lines: TrackLine[];
  loading: boolean;
  error: string | null;
  /** The track alone can fail (a flight still recording, or with no position): the stats still show. */
  trackError: string | null;
  /** The vehicle's messages, null until they arrive; they can fail alone too. */
  messages: FlightMessagesResponse | null;
  messagesError: string | null;
}

const EMPTY: FlightDetailState = {
  flight: null, lines: [], loading: false, error: null, trackError: null, messages: null, messagesError: null,
};

/** The selected flight, fresh from GET /api/flights/:id (notes included), its track and its vehicle's messages. */
export function useFlightDetail(api: FlightsApi, id: number | null): FlightDetailState & {
  noteAdded(flightId: number, note: FlightNote): void;
  integrityChecked(flightId: number, integrity: FlightIntegrity): void;
} {
  const [state, setState] = useState<FlightDetailState>(EMPTY);
  useEffect(() => {
    if (id === null) {
      setState(EMPTY);
      return;
    }
    const abort = new AbortController();
    const live = () => !abort.signal.aborted;
    setState({ ...EMPTY, loading: true });
    api.get(id, abort.signal).then(
      (flight) => live() && setState((s) => ({ ...s, flight, loading: false })),
      (err: unknown) => live() && setState((s) => ({ ...s, loading: false, error: describeApiError(err) })),
    );
    api.track(id, abort.signal).then(
      (geojson) => live() && setState((s) => ({ ...s, lines: trackLines(geojson), trackError: null })),
      (err: unknown) => live() && setState((s) => ({ ...s, lines: [], trackError: describeApiError(err) })),
    );
    api.messages(id, abort.signal).then(
      (messages) => live() && setState((s) => ({ ...s, messages, messagesError: null })),
      (err: unknown) => live() && setState((s) => ({ ...s, messages: null, messagesError: describeApiError(err) })),
    );
    return () => abort.abort();
  }, [api, id]);

  // The answer may come after another flight was selected: it belongs to the flight it was posted to only.
  const noteAdded = useCallback((flightId: number, note: FlightNote) => {
    setState((s) => (s.flight?.id === flightId ? { ...s, flight: { ...s.flight, notes: [...s.flight.notes, note] } } : s));
  }, []);
  const integrityChecked = useCallback((flightId: number, integrity: FlightIntegrity) => {
    setState((s) => (s.flight?.id === flightId ? { ...s, flight: { ...s.flight, integrity } } : s));
  }, []);
  return { ...state, noteAdded, integrityChecked };
}
