import type {
  DerivativeJob, DerivativeRequest, FootageDerivativeList, FlightFootage, FootagePage, FootagePoint, FootageSummary, FootageSync, FootageSyncs, FootageUploadStatus, IncidentLink, ItemIncidents,
} from "../../../../server/protocol";
import { createCall } from "../../access";

/** Where the tus uploads go (same origin: the session cookie travels with them). */
export const UPLOAD_ENDPOINT = "/api/footage/uploads";

export const posterUrl = (id: number) => `/api/footage/${id}/poster.jpg`;
export const stripUrl = (id: number) => `/api/footage/${id}/strip.jpg`;
export const streamUrl = (id: number) => `/api/footage/${id}/stream`;
export const originalUrl = (id: number) => `/api/footage/${id}/original`;
export const footageHref = (id: number) => `/footage?id=${id}`;

/** The upload's id is the last path segment of the URL the server gave it. */
export const uploadIdOf = (url: string): string => url.split("?")[0]!.split("/").filter(Boolean).pop() ?? "";

export interface FootageApi {
  list(offset: number, limit: number, signal?: AbortSignal): Promise<FootagePage>;
  get(id: number, signal?: AbortSignal): Promise<FootageSummary>;
  ingest(uploadId: string, signal?: AbortSignal): Promise<FootageUploadStatus>;
  /** The raw SRT as the body; answers the footage as it now stands. */
  sidecar(id: number, name: string, body: Blob): Promise<unknown>;
  incidents(id: number, signal?: AbortSignal): Promise<ItemIncidents>;
  syncs(id: number, signal?: AbortSignal): Promise<FootageSyncs>;
  syncAuto(id: number, flightId: number): Promise<FootageSync>;
  syncManual(id: number, flightId: number, startsAt: number, reason: string): Promise<FootageSync>;
  track(id: number, signal?: AbortSignal): Promise<FootagePoint[]>;
  ofFlight(flightId: number, signal?: AbortSignal): Promise<FlightFootage>;
  linkToIncident(incidentId: number, footageId: number, reason: string): Promise<IncidentLink>;
  /** The derivatives made from a footage file, and the jobs making them. */
  derivatives(id: number, signal?: AbortSignal): Promise<FootageDerivativeList>;
  requestDerivative(id: number, request: DerivativeRequest): Promise<DerivativeJob>;
}

/** Footage's REST calls; each throws an ApiCallError carrying the server's code and message when refused. */
export function createFootageApi(fetchFn: typeof fetch): FootageApi {
  const call = createCall(fetchFn);
  const post = <T>(path: string, json: unknown) => call<T>(path, { method: "POST", json });
  return {
    list: (offset, limit, signal) => call<FootagePage>(`/api/footage?offset=${offset}&limit=${limit}`, { signal }),
    get: (id, signal) => call<FootageSummary>(`/api/footage/${id}`, { signal }),
    ingest: (uploadId, signal) => call<FootageUploadStatus>(`/api/footage/ingest/${encodeURIComponent(uploadId)}`, { signal }),
    sidecar: (id, name, body) => call<unknown>(`/api/footage/${id}/sidecar?name=${encodeURIComponent(name)}`, { method: "POST", raw: { body, type: "text/plain" } }),
    incidents: (id, signal) => call<ItemIncidents>(`/api/footage/${id}/incidents`, { signal }),
    syncs: (id, signal) => call<FootageSyncs>(`/api/footage/${id}/sync`, { signal }),
    syncAuto: (id, flightId) => post<FootageSync>(`/api/footage/${id}/sync/auto`, { flightId }),
    syncManual: (id, flightId, startsAt, reason) => post<FootageSync>(`/api/footage/${id}/sync`, { flightId, startsAt, reason }),
    track: (id, signal) => call<FootagePoint[]>(`/api/footage/${id}/track`, { signal }),
    ofFlight: (flightId, signal) => call<FlightFootage>(`/api/flights/${flightId}/footage`, { signal }),
    linkToIncident: (incidentId, footageId, reason) => post<IncidentLink>(`/api/incidents/${incidentId}/links`, { kind: "footage", id: footageId, reason }),
    derivatives: (id, signal) => call<FootageDerivativeList>(`/api/footage/${id}/derivatives`, { signal }),
    requestDerivative: (id, request) => post<DerivativeJob>(`/api/footage/${id}/derivatives`, request),
  };
}
