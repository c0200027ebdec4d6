import type { FlightsQuery, VehicleKey } from "../../../../server/protocol";

export const PAGE_SIZE = 50;

/** What the filter bar holds, as typed (dates as the date inputs give them: "YYYY-MM-DD" or ""). */
export interface FlightFilters {
  vehicle: string;
  fromDate: string;
  toDate: string;
  /** Only flights whose track touches the preview map's current view. */
  inView: boolean;
}

export const NO_FILTERS: FlightFilters = { vehicle: "", fromDate: "", toDate: "", inView: false };

export type Bbox = [number, number, number, number];

/** "1:1" (sysid:compid) or null when the text is not one. */
export function parseVehicleKey(text: string): VehicleKey | null {
  const m = /^\s*(\d{1,3})\s*:\s*(\d{1,3})\s*$/.exec(text);
  if (!m) return null;
  const sysid = Number(m[1]);
  const compid = Number(m[2]);
  return sysid <= 255 && compid <= 255 ? `${sysid}:${compid}` : null;
}

/** Local midnight at the start of a "YYYY-MM-DD" day (`endOfDay`: the last millisecond of that day), or null. */
export function localDayMs(date: string, endOfDay = false): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const start = new Date(y, mo, d);
  if (start.getMonth() !== mo || start.getDate() !== d) return null;
  return endOfDay ? new Date(y, mo, d + 1).getTime() - 1 : start.getTime();
}

export interface BuiltQuery {
  query: FlightsQuery;
  /** Filters that could not be used, in words (the rest still applies). */
  problems: string[];
}

/** The GET /api/flights query for the filters and page; a filter that does not parse is left out and reported. */
export function buildFlightsQuery(filters: FlightFilters, view: Bbox | null, offset: number, limit = PAGE_SIZE): BuiltQuery {
  const query: FlightsQuery = { offset, limit };
  const problems: string[] = [];
  if (filters.vehicle.trim() !== "") {
    const key = parseVehicleKey(filters.vehicle);
    if (key) query.vehicle = key;
    else problems.push("Vehicle: write system and component id, e.g. 1:1.");
  }
  const from = filters.fromDate ? localDayMs(filters.fromDate) : null;
  const to = filters.toDate ? localDayMs(filters.toDate, true) : null;
  if (from !== null && to !== null && from > to) {
    problems.push("The start date is after the end date.");
  } else {
    if (from !== null) query.from = from;
    if (to !== null) query.to = to;
  }
  if (filters.inView) {
    if (view) query.bbox = view;
    else problems.push("The map view is not known yet.");
  }
  return { query, problems };
}

/** The URL of GET /api/flights for a query (parameters in a fixed order, so equal queries give equal URLs). */
export function flightsUrl(query: FlightsQuery): string {
  const params = new URLSearchParams();
  if (query.vehicle) params.set("vehicle", query.vehicle);
  if (query.from !== undefined) params.set("from", String(query.from));
  if (query.to !== undefined) params.set("to", String(query.to));
  if (query.bbox) params.set("bbox", query.bbox.join(","));
  if (query.offset !== undefined) params.set("offset", String(query.offset));
  if (query.limit !== undefined) params.set("limit", String(query.limit));
  const text = params.toString();
  return text ? `/api/flights?${text}` : "/api/flights";
}

/** Offsets of the neighbouring pages, null where there is none. */
export function pageOffsets(offset: number, limit: number, total: number): { prev: number | null; next: number | null } {
  return {
    prev: offset > 0 ? Math.max(0, offset - limit) : null,
    next: offset + limit < total ? offset + limit : null,
  };
}
