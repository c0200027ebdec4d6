import { REPLAY_MAX_FLIGHTS } from "../../../../server/protocol";

/** Where the replay view lives; the server answers any unknown path with the client, so this is a plain URL. */
export const REPLAY_PATH = "/replay";

/** What a deep link asks for: `/replay?flights=ID,ID&t=ISO[&align=1]`. */
export interface ReplayLink {
  flights: number[];
  /** UTC ms; null: the session's start. */
  t: number | null;
  align: boolean;
}

export type ParsedLink = { ok: true; link: ReplayLink } | { ok: false; message: string };

/** Only an ISO 8601 UTC instant is accepted: a local time without a zone would open at a different moment per screen. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function parseFlights(raw: string | null): number[] | string {
  if (!raw) return "no flights given (flights=ID,ID)";
  const ids: number[] = [];
  for (const part of raw.split(",")) {
    if (!/^\d{1,9}$/.test(part.trim())) return `"${part}" is not a flight id`;
    const id = Number(part.trim());
    if (id > 0 && !ids.includes(id)) ids.push(id);
  }
  if (ids.length === 0) return "no flights given (flights=ID,ID)";
  if (ids.length > REPLAY_MAX_FLIGHTS) return `at most ${REPLAY_MAX_FLIGHTS} flights replay together`;
  return ids;
}

/** Reads a deep link's query string; every problem is worded for the reviewer who pasted it. */
export function parseReplayLink(search: string): ParsedLink {
  const params = new URLSearchParams(search);
  const flights = parseFlights(params.get("flights"));
  if (typeof flights === "string") return { ok: false, message: flights };
  const rawT = params.get("t");
  let t: number | null = null;
  if (rawT) {
    const ms = ISO_UTC.test(rawT) ? Date.parse(rawT) : Number.NaN;
    if (!Number.isFinite(ms)) return { ok: false, message: `"${rawT}" is not a UTC time like 2026-11-21T10:14:03.250Z` };
    t = ms;
  }
  const align = params.get("align") === "1";
  return { ok: true, link: { flights, t, align } };
}

/** The path and query of a link (relative, so it works behind any host name the server is reached by). */
export function formatReplayLink(link: ReplayLink): string {
  const parts = [`flights=${link.flights.join(",")}`];
  if (link.t !== null) parts.push(`t=${new Date(Math.round(link.t)).toISOString()}`);
  if (link.align) parts.push("align=1");
  return `${REPLAY_PATH}?${parts.join("&")}`;
}

export function isReplayPath(pathname: string): boolean {
  return pathname === REPLAY_PATH || pathname === `${REPLAY_PATH}/`;
}
