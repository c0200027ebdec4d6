import type { FlightFilters } from "./query";

/** Vehicle, date range and "in the map view"; the page debounces what is typed here before it queries. */
export function FiltersBar({ filters, problems, onChange }: { filters: FlightFilters; problems: readonly string[]; onChange: (f: FlightFilters) => void }) {
  const set = (patch: Partial<FlightFilters>) => onChange({ ...filters, ...patch });
  const clear = () => onChange({ vehicle: "", fromDate: "", toDate: "", inView: false });
  const any = filters.vehicle !== "" || filters.fromDate !== "" || filters.toDate !== "" || filters.inView;
  return (
    <form className="flights__filters" aria-label="Filter flights" onSubmit={(e) => e.preventDefault()}>
      <label className="field">
        Vehicle
        <input type="text" placeholder="e.g. 1:1" size={8} value={filters.vehicle} onChange={(e) => set({ vehicle: e.target.value })} />
      </label>
      <label className="field">
        From
        <input type="date" value={filters.fromDate} max={filters.toDate || undefined} onChange={(e) => set({ fromDate: e.target.value })} />
      </label>
      <label className="field">
        To
        <input type="date" value={filters.toDate} min={filters.fromDate || undefined} onChange={(e) => set({ toDate: e.target.value })} />
      </label>
      <label className="flights__check">
        <input type="checkbox" checked={filters.inView} onChange={(e) => set({ inView: e.target.checked })} />
        Only flights in the current map view
      </label>
      <button type="button" className="btn btn--quiet" onClick={clear} disabled={!any}>
        Clear filters
      </button>
      {problems.length > 0 && (
        <div className="flights__problems tone--caution" role="status" aria-label="Filter problems">
          <ul>
            {problems.map((p) => <li key={p}>{p}</li>)}
          </ul>
        </div>
      )}
    </form>
  );
}
