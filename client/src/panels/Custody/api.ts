import type { BundleList, CustodyLog, ExportJob } from "../../../../server/protocol";
import { createCall } from "../../access";

export type CustodyKind = "incident" | "flight" | "footage";

const base = (kind: CustodyKind, id: number) => `/api/${kind === "incident" ? "incidents" : kind === "flight" ? "flights" : "footage"}/${id}`;

/** The custody log as CSV: a plain link, the browser saves it (the server audits the export). */
export const custodyCsvUrl = (kind: CustodyKind, id: number) => `${base(kind, id)}/custody?format=csv`;
/** The printable custody report's own page. */
export const custodyReportUrl = (kind: CustodyKind, id: number) => `/custody?${kind}=${id}`;
/** A finished bundle as one .zip (the server audits the download). */
export const bundleDownloadUrl = (name: string) => `/api/exports/${encodeURIComponent(name)}/download`;

export interface CustodyApi {
  log(kind: CustodyKind, id: number, opts?: { print?: boolean; signal?: AbortSignal }): Promise<CustodyLog>;
  exportIncident(id: number): Promise<ExportJob>;
  job(jobId: string, signal?: AbortSignal): Promise<ExportJob>;
  bundles(incidentId: number, signal?: AbortSignal): Promise<BundleList>;
}

export function createCustodyApi(fetchFn: typeof fetch): CustodyApi {
  const call = createCall(fetchFn);
  return {
    log: (kind, id, opts = {}) => call<CustodyLog>(`${base(kind, id)}/custody${opts.print ? "?print=1" : ""}`, { signal: opts.signal }),
    exportIncident: (id) => call<ExportJob>(`/api/incidents/${id}/export`, { method: "POST", json: {} }),
    job: (jobId, signal) => call<ExportJob>(`/api/exports/jobs/${encodeURIComponent(jobId)}`, { signal }),
    bundles: (incidentId, signal) => call<BundleList>(`/api/incidents/${incidentId}/exports`, { signal }),
  };
}

/** Which log the report page at /custody?incident=ID (or flight=, footage=) shows; null when the address names none. */
export function custodyTargetOf(search: string): { kind: CustodyKind; id: number } | null {
  const params = new URLSearchParams(search);
  for (const kind of ["incident", "flight", "footage"] as const) {
    const raw = params.get(kind);
    if (raw !== null && /^[1-9]\d{0,14}$/.test(raw)) return { kind, id: Number(raw) };
  }
  return null;
}
