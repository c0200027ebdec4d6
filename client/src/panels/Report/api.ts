import type { FlightReport } from "../../../../server/protocol";
import { ApiCallError, createCall } from "../../access";

/** GET /api/flights/:id/report; `print`: the page is about to print (the server checks the file and audits it). */
export const reportUrl = (flightId: number, print: boolean) => `/api/flights/${flightId}/report${print ? "?print=1" : ""}`;

function isReport(x: unknown): x is FlightReport {
  if (typeof x !== "object" || x === null) return false;
  const r = x as Partial<FlightReport>;
  return typeof r.flightId === "number" && typeof r.aircraft === "object" && typeof r.evidence === "object"
    && Array.isArray(r.track?.points) && Array.isArray(r.alerts?.items);
}

/** Fetches a flight's report; throws an ApiCallError worded from the server's refusal. */
export async function fetchReport(fetchFn: typeof fetch, flightId: number, print: boolean): Promise<FlightReport> {
  const body = await createCall(fetchFn)<unknown>(reportUrl(flightId, print));
  if (!isReport(body)) throw new ApiCallError(200, "bad_answer", "the server's answer is not a flight report");
  return body;
}

/** "?flight=12" -> 12; anything else -> null. */
export function flightIdOf(search: string): number | null {
  const raw = new URLSearchParams(search).get("flight") ?? "";
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}
