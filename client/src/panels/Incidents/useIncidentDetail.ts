import { useCallback, useEffect, useState } from "react";
import type { IncidentDetail, IncidentSuggestions } from "../../../../server/protocol";
import { describeApiError } from "../../access";
import type { IncidentsApi } from "./api";

export interface IncidentDetailState {
  detail: IncidentDetail | null;
  error: string | null;
  suggestions: IncidentSuggestions | null;
  suggestionsError: string | null;
  loading: boolean;
}

const EMPTY: IncidentDetailState = { detail: null, error: null, suggestions: null, suggestionsError: null, loading: true };

/** The incident with its history and links, and the flights suggested for it; `reload` asks both again. */
export function useIncidentDetail(api: IncidentsApi, id: number): IncidentDetailState & { reload: () => void } {
  const [state, setState] = useState<IncidentDetailState>(EMPTY);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    const live = () => !abort.signal.aborted;
    setState((s) => ({ ...s, loading: true }));
    api.get(id, abort.signal).then(
      (detail) => live() && setState((s) => ({ ...s, detail, error: null, loading: false })),
      (err: unknown) => live() && setState((s) => ({ ...s, error: describeApiError(err), loading: false })),
    );
    api.suggestions(id, abort.signal).then(
      (suggestions) => live() && setState((s) => ({ ...s, suggestions, suggestionsError: null })),
      (err: unknown) => live() && setState((s) => ({ ...s, suggestions: null, suggestionsError: describeApiError(err) })),
    );
    return () => abort.abort();
  }, [api, id, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
