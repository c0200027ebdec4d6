import type {
  Incident, IncidentDetail, IncidentEdit, IncidentInput, IncidentLink, IncidentsPage, IncidentStatus, IncidentSuggestions,
} from "../../../../server/protocol";
import { createCall } from "../../access";

/** What GET /api/flights/:id/incidents answers: each link of the flight with the incident it ties it to. */
export interface FlightIncidentsResponse {
  incidents: { link: IncidentLink; incident: Pick<Incident, "id" | "reference" | "title" | "status"> }[];
}

export interface IncidentsQuery {
  status: IncidentStatus | "all";
  q: string;
  offset: number;
  limit: number;
}

export interface IncidentsApi {
  list(query: IncidentsQuery, signal?: AbortSignal): Promise<IncidentsPage>;
  get(id: number, signal?: AbortSignal): Promise<IncidentDetail>;
  create(input: IncidentInput): Promise<Incident>;
  edit(id: number, edit: IncidentEdit): Promise<Incident>;
  close(id: number, version: number, reason: string): Promise<Incident>;
  reopen(id: number, version: number, reason: string): Promise<Incident>;
  link(id: number, flightId: number, reason: string): Promise<IncidentLink>;
  linkFootage(id: number, footageId: number, reason: string): Promise<IncidentLink>;
  unlink(id: number, linkId: number, reason: string): Promise<IncidentLink>;
  suggestions(id: number, signal?: AbortSignal): Promise<IncidentSuggestions>;
  ofFlight(flightId: number, signal?: AbortSignal): Promise<FlightIncidentsResponse>;
}

export const incidentsUrl = ({ status, q, offset, limit }: IncidentsQuery): string => {
  const params = new URLSearchParams();
  if (status !== "all") params.set("status", status);
  if (q.trim() !== "") params.set("q", q.trim());
  params.set("offset", String(offset));
  params.set("limit", String(limit));
  return `/api/incidents?${params.toString()}`;
};

/** The incidents' REST calls; each throws an ApiCallError carrying the server's code and message when refused. */
export function createIncidentsApi(fetchFn: typeof fetch): IncidentsApi {
  const call = createCall(fetchFn);
  const post = <T>(path: string, json: unknown) => call<T>(path, { method: "POST", json });
  return {
    list: (query, signal) => call<IncidentsPage>(incidentsUrl(query), { signal }),
    get: (id, signal) => call<IncidentDetail>(`/api/incidents/${id}`, { signal }),
    create: (input) => post<Incident>("/api/incidents", input),
    edit: (id, edit) => call<Incident>(`/api/incidents/${id}`, { method: "PATCH", json: edit }),
    close: (id, version, reason) => post<Incident>(`/api/incidents/${id}/close`, { version, reason }),
    reopen: (id, version, reason) => post<Incident>(`/api/incidents/${id}/reopen`, { version, reason }),
    link: (id, flightId, reason) => post<IncidentLink>(`/api/incidents/${id}/links`, { kind: "flight", id: flightId, reason }),
    linkFootage: (id, footageId, reason) => post<IncidentLink>(`/api/incidents/${id}/links`, { kind: "footage", id: footageId, reason }),
    unlink: (id, linkId, reason) => post<IncidentLink>(`/api/incidents/${id}/links/${linkId}/unlink`, { reason }),
    suggestions: (id, signal) => call<IncidentSuggestions>(`/api/incidents/${id}/suggestions`, { signal }),
    ofFlight: (flightId, signal) => call<FlightIncidentsResponse>(`/api/flights/${flightId}/incidents`, { signal }),
  };
}

/** Plain fetch with the session cookie, for a page used outside a session (tests pass their own). */
export const cookieFetch: typeof fetch = (input, init) => fetch(input, { credentials: "same-origin", ...init });
