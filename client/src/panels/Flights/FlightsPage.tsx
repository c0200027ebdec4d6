import { useCallback, useMemo, useState } from "react";
import { hasRole, useSession } from "../../access";
import { useAppStore } from "../../store";
import { createFlightsApi, sameOriginFetch } from "./api";
import { FiltersBar } from "./FiltersBar";
import { FlightDetail } from "./FlightDetail";
import { FlightTable } from "./FlightTable";
import { bboxFromView, trackBounds, trackEnds, type ViewEdges } from "./geo";
import { ImportControl } from "./ImportControl";
import { Pager } from "./Pager";
import { PickedReplay } from "./ReplayLinks";
import { buildFlightsQuery, NO_FILTERS, PAGE_SIZE, type Bbox, type FlightFilters } from "./query";
import type { ImportResult } from "./report";
import { TrackMap } from "./TrackMap";
import { MAX_IMPORT_BYTES, xhrUpload, type UploadFn } from "./upload";
import { useDebounced } from "./useDebounced";
import { useFlightDetail } from "./useFlightDetail";
import { useFlightList } from "./useFlightList";

export interface FlightsPageProps {
  /** Defaults to the session's fetch (a 401 ends the session), else fetch with the same-origin cookie. */
  fetchFn?: typeof fetch;
  /** Defaults to XMLHttpRequest (fetch reports no upload progress). */
  upload?: UploadFn;
  /** Delay between the last filter change (or map move) and the query. */
  debounceMs?: number;
  maxImportBytes?: number;
  /** Defaults to going back to the live map. */
  onClose?: () => void;
}

const defaultUpload = xhrUpload();

/** The flight catalogue: filters, the list (paged, newest first), a track preview, the selected flight, import. */
export function FlightsPage({ fetchFn, upload = defaultUpload, debounceMs = 300, maxImportBytes = MAX_IMPORT_BYTES, onClose }: FlightsPageProps) {
  const session = useSession();
  const fetcher = fetchFn ?? session?.api.guardedFetch ?? sameOriginFetch;
  const api = useMemo(() => createFlightsApi(fetcher), [fetcher]);
  // The server serves the whole catalogue to reviewers only (flight-routes.ts); the page hides what it would refuse.
  const reviewer = useAppStore((s) => hasRole(s.auth.user, "reviewer"));
  const setView = useAppStore((s) => s.setView);

  const [filters, setFilters] = useState<FlightFilters>(NO_FILTERS);
  const [mapView, setMapView] = useState<Bbox | null>(null);
  const inputs = useMemo(() => ({ filters, view: filters.inView ? mapView : null }), [filters, mapView]);
  const settled = useDebounced(inputs, debounceMs);
  const filterKey = JSON.stringify(settled);
  // A page number belongs to the filters it was chosen with: new filters start at the first page.
  const [paging, setPaging] = useState({ key: filterKey, offset: 0 });
  const offset = paging.key === filterKey ? paging.offset : 0;
  const { query, problems } = useMemo(() => buildFlightsQuery(settled.filters, settled.view, offset, PAGE_SIZE), [settled, offset]);
  const [refresh, setRefresh] = useState(0);
  const list = useFlightList(api, query, refresh);

  const [selectedId, setSelectedId] = useState<number | null>(null);
  // Ticked flights stay ticked across pages and filters: an incident's flights may not all be on one page.
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  const onPick = useCallback((id: number, on: boolean) => setPicked((old) => {
    const next = new Set(old);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  }), []);
  const detail = useFlightDetail(api, selectedId);
  const shown = detail.flight ?? list.page?.flights.find((f) => f.id === selectedId) ?? null;
  const ends = useMemo(
    () => trackEnds(detail.lines, detail.flight?.takeoff ?? null, detail.flight?.landing ?? null),
    [detail.lines, detail.flight?.takeoff, detail.flight?.landing],
  );

  // No flight selected: the map shows where the listed flights are. Not while filtering by the map's own view, where
  // moving the map to the list would change the list.
  const pageFlights = list.page?.flights;
  const overview = useMemo(
    () => filters.inView || selectedId !== null ? null : trackBounds([], (pageFlights ?? []).flatMap((f) => [f.takeoff, f.landing])),
    [filters.inView, selectedId, pageFlights],
  );
  const onView = useCallback((edges: ViewEdges) => {
    const box = bboxFromView(edges);
    setMapView((old) => (old && box && old.every((v, i) => v === box[i]) ? old : box));
  }, []);
  const onImported = useCallback((result: ImportResult) => {
    setRefresh((n) => n + 1);
    if (result.flights[0]) setSelectedId(result.flights[0].id);
  }, []);
  const { noteAdded, integrityChecked } = detail;
  const addNote = useMemo(() => {
    if (!reviewer || selectedId === null) return null;
    return async (text: string) => noteAdded(selectedId, await api.addNote(selectedId, text));
  }, [api, reviewer, selectedId, noteAdded]);
  // The list shows the badge too: it is asked again once the check is done.
  const verify = useMemo(() => {
    if (!reviewer || selectedId === null) return null;
    return async () => {
      integrityChecked(selectedId, (await api.verify(selectedId)).integrity);
      setRefresh((n) => n + 1);
    };
  }, [api, reviewer, selectedId, integrityChecked]);

  const page = list.page;
  const hasFilters = settled.filters.vehicle !== "" || settled.filters.fromDate !== "" || settled.filters.toDate !== "" || settled.filters.inView;
  return (
    <div className="flights" role="region" aria-label="Flights" data-testid="flights-page">
      <div className="flights__main">
        <header className="flights__head">
          <h2 className="panel-title">
            Flights{page && <span className="panel-title__count">{page.total}</span>}
          </h2>
          {reviewer && <ImportControl upload={upload} maxBytes={maxImportBytes} onImported={onImported} />}
          {reviewer && <PickedReplay ids={[...picked]} onClear={() => setPicked(new Set())} />}
          <span className="topbar__spacer" />
          <button type="button" className="btn btn--quiet" onClick={onClose ?? (() => setView("map"))}>
            Close
          </button>
        </header>
        <FiltersBar filters={filters} problems={problems} onChange={setFilters} />
        {list.error && <p className="flights__error tone--danger" role="alert">{`Flights could not be loaded: ${list.error}`}</p>}
        <div className="flights__list" aria-busy={list.loading}>
          {page === null ? (
            list.loading && <p className="empty" role="status">Loading flights…</p>
          ) : page.flights.length === 0 ? (
            <p className="empty" role="status">{hasFilters ? "No flights match these filters." : "No flights recorded yet."}</p>
          ) : (
            <FlightTable flights={page.flights} selectedId={selectedId} onSelect={setSelectedId}
              picked={reviewer ? picked : undefined} onPick={reviewer ? onPick : undefined} />
          )}
        </div>
        {page && (
          <Pager offset={page.offset} shown={page.flights.length} total={page.total} limit={page.limit || PAGE_SIZE}
            onOffset={(o) => setPaging({ key: filterKey, offset: o })} />
        )}
      </div>
      <div className="flights__side">
        <TrackMap lines={detail.lines} overview={overview} takeoff={ends.takeoff} landing={ends.landing} onView={onView} />
        {shown ? (
          <FlightDetail flight={shown} loading={detail.loading} error={detail.error} trackError={detail.trackError} onAddNote={addNote}
            onVerify={verify} messages={detail.messages?.flightId === shown.id ? detail.messages : null}
            messagesError={detail.messagesError} fetchFn={reviewer ? fetcher : undefined} />
        ) : (
          <p className="empty">Select a flight to see its track, stats, notes and exports.</p>
        )}
      </div>
    </div>
  );
}
