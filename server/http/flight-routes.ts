import { pipeline } from "node:stream/promises";
import type { Request, Response } from "express";
import { z } from "zod";
import { MAX_FLIGHT_MESSAGES, MAX_PAGE } from "../flights";
// Until server/flights/index.ts re-exports export/ and series/ (that file is being edited elsewhere).
import { EXPORT_FORMATS, SeriesQueryError, alteredRefusal, flightSamples, flightTrack, openExport, tombstoneOf } from "../flights";
import type { ExportFile } from "../flights";
import type { FlightMessagesResponse, FlightSummary, FlightVerifyResponse, FlightsPage, FlightsQuery, SeriesKind, VehicleKey } from "../protocol";
import { SERIES_FIELDS } from "../protocol";
import type { ApiSource, Route } from "./route";
import { metaOf, noQuery, pathId, route, sendError } from "./route";

/**
 * Flight records are evidence: reviewers read and annotate them. Pilots and the control room do not browse the
 * archive (a pilot's own flights would need a pilot filter in the catalogue first); admins run accounts, not
 * investigations.
 */
const REVIEWER = ["reviewer"] as const;
/** Checking a file against its seal shows nothing of the flight: an admin looking after the station may too. */
const VERIFIERS = ["reviewer", "admin"] as const;

/** The track preview's default: a 2 m tolerance keeps the shape of a hover and drops GPS jitter. */
const DEFAULT_TOLERANCE_M = 2;
const MAX_TOLERANCE_M = 1000;
const MAX_RESOLUTION_MS = 86_400_000;

const wholeNumber = (max: number) =>
  z.string().regex(/^\d{1,16}$/, "a whole number").transform(Number).pipe(z.number().int().max(max));

/**
 * A date-time must say its offset: without one, Date.parse would read it in the server's time zone, and the
 * same link would mean different hours on different machines. A date alone is UTC midnight (as Date.parse reads it).
 */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** "1795234604877" (ms since the epoch) or ISO 8601: "2026-11-21T09:00:00Z", "2026-11-21T10:00+01:00", "2026-11-21". */
const time = z.string().transform((s, ctx) => {
  const ms = /^\d{1,16}$/.test(s) ? Number(s) : ISO_TIME.test(s) ? Date.parse(s) : Number.NaN;
  if (!Number.isSafeInteger(ms)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "a time: ISO 8601 with an offset (2026-11-21T09:00:00Z) or ms since the epoch" });
    return z.NEVER;
  }
  return ms;
});

const inRange = (v: number, limit: number) => Number.isFinite(v) && Math.abs(v) <= limit;

/** minLon,minLat,maxLon,maxLat. A box across the antimeridian (minLon > maxLon) is refused, not guessed. */
const bbox = z.string().transform((s, ctx) => {
  const v = s.split(",").map((p) => (p.trim() === "" ? Number.NaN : Number(p)));
  const [minLon = 0, minLat = 0, maxLon = 0, maxLat = 0] = v;
  if (v.length !== 4 || !inRange(minLon, 180) || !inRange(maxLon, 180) || !inRange(minLat, 90) || !inRange(maxLat, 90)
    || minLon > maxLon || minLat > maxLat) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "minLon,minLat,maxLon,maxLat in degrees, min <= max" });
    return z.NEVER;
  }
  return [minLon, minLat, maxLon, maxLat] as [number, number, number, number];
});

const ordered = (q: { from?: number | undefined; to?: number | undefined }) => q.from === undefined || q.to === undefined || q.from <= q.to;
const ORDER = { message: "from must not be after to", path: ["from"] };

const listQuery = z.object({
  vehicle: z.string().regex(/^\d{1,3}:\d{1,3}$/, "sysid:compid, e.g. 1:1").transform((v) => v as VehicleKey).optional(),
  from: time.optional(),
  to: time.optional(),
  bbox: bbox.optional(),
  offset: wholeNumber(Number.MAX_SAFE_INTEGER).optional(),
  limit: wholeNumber(MAX_PAGE).pipe(z.number().min(1)).optional(),
}).strict().refine(ordered, ORDER);

const trackQuery = z.object({
  tolerance: z.string().regex(/^\d{1,4}(\.\d{1,3})?$/, "metres, e.g. 2 or 0.5").transform(Number)
    .pipe(z.number().max(MAX_TOLERANCE_M)).optional(),
}).strict();

const KINDS = Object.keys(SERIES_FIELDS) as [SeriesKind, ...SeriesKind[]];

const seriesQuery = z.object({
  kind: z.enum(KINDS),
  fields: z.string().transform((s) => s.split(",").map((f) => f.trim())).optional(),
  from: time.optional(),
  to: time.optional(),
  resolution: wholeNumber(MAX_RESOLUTION_MS).optional(),
}).strict().refine(ordered, ORDER).superRefine((q, ctx) => {
  const known: readonly string[] = SERIES_FIELDS[q.kind];
  const unknown = (q.fields ?? []).filter((f) => !known.includes(f));
  if (unknown.length > 0) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["fields"], message: `${q.kind} has no ${unknown.join(", ")} (it has ${known.join(", ")})` });
  }
});

const exportQuery = z.object({ format: z.enum(EXPORT_FORMATS) }).strict();

const noteBody = z.object({ text: z.string().trim().min(1, "a note needs text").max(4000) }).strict();

/** The query as its schema turns it into values (the app has already refused it if invalid). */
export function queryOf<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, req: Request): T {
  return schema.parse(req.query);
}

/** The flight named in the path, or null after answering 400 / 404. */
export async function flightOf(source: ApiSource, req: Request, res: Response): Promise<FlightSummary | null> {
  const id = pathId(req, res, "flight id");
  if (id === null) return null;
  const flight = await source.flights.catalogue.get(id);
  if (!flight) sendError(res, 404, "flight_not_found", `no flight ${id}`);
  return flight;
}

const tlogMissing = (res: Response, f: FlightSummary) =>
  sendError(res, 404, "tlog_missing", `the .tlog of flight ${f.id} is not in the data directory`);

export const userOf = (req: Request) => req.user?.name ?? null;

/**
 * A flight deleted under retention: its row and seal stay, its .tlog is gone on purpose. 410 says so, with who asked,
 * when and why, where a 404 would read as a lost file. Returns true after answering.
 */
export function refusedAsDeleted(res: Response, f: FlightSummary): boolean {
  const t = tombstoneOf(f);
  if (t === null) return false;
  sendError(res, 410, "deleted", `the .tlog of flight ${f.id} was deleted under retention on ${new Date(t.at).toISOString()} `
    + `(deletion request ${t.request} by ${t.by}: ${t.reason}); its record, seal and custody log remain`);
  return true;
}

/**
 * Whatever is derived from a file that no longer matches its seal is refused (409, as exports are), not served
 * with a flag: a track drawn from altered bytes looks exactly like evidence. The flight's answer says why.
 * Returns true after answering.
 */
export function refusedForIntegrity(res: Response, f: FlightSummary): boolean {
  if (refusedAsDeleted(res, f)) return true;
  res.set("X-Flight-Integrity", f.integrity.state);
  if (f.integrity.state === "missing") {
    tlogMissing(res, f);
    return true;
  }
  if (f.integrity.state !== "altered") return false;
  const why = f.integrity.actualSha256 !== null ? "no longer has the SHA-256 it was sealed with"
    : `is ${f.integrity.actualSizeBytes ?? "?"} bytes but was sealed at ${f.sizeBytes ?? "?"}`;
  const refusal = alteredRefusal(f, why);
  sendError(res, refusal.status, refusal.code, refusal.message);
  return true;
}

/**
 * Streams a file with backpressure. Once bytes are sent a failure can only cut the transfer short (the pipeline
 * destroys the response): the client sees an incomplete download, never a complete-looking wrong file.
 */
async function send(res: Response, file: ExportFile): Promise<void> {
  res.set(file.headers);
  try {
    await pipeline(file.body, res);
  } catch {
    // The client went away, or reading failed after the headers: the transfer is already cut.
  }
}

export const FLIGHT_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/flights",
    access: REVIEWER,
    query: listQuery,
    async handle(source, req, res) {
      const query: FlightsQuery = queryOf(listQuery, req);
      const page = await source.flights.catalogue.list(query);
      const body: FlightsPage = { ...page, flights: await source.flights.integrity.annotate(page.flights, userOf(req)) };
      res.json(body);
    },
  },
  {
    method: "get",
    path: "/api/flights/:id",
    access: REVIEWER,
    query: noQuery,
    async handle(source, req, res) {
      const flight = await flightOf(source, req, res);
      if (flight) res.json(await source.flights.integrity.current(flight, "detail", userOf(req)));
    },
  },
  {
    method: "get",
    path: "/api/flights/:id/track",
    access: REVIEWER,
    query: trackQuery,
    async handle(source, req, res) {
      const found = await flightOf(source, req, res);
      if (!found) return;
      const flight = await source.flights.integrity.current(found, "track", userOf(req));
      if (refusedForIntegrity(res, flight)) return;
      const samples = await flightSamples(source.flights.dataDir, flight);
      if (!samples) {
        tlogMissing(res, flight);
        return;
      }
      const tolerance = queryOf(trackQuery, req).tolerance ?? DEFAULT_TOLERANCE_M;
      res.type("application/geo+json").send(JSON.stringify(await flightTrack(samples, flight.id, tolerance)));
    },
  },
  {
    method: "get",
    path: "/api/flights/:id/series",
    access: REVIEWER,
    query: seriesQuery,
    async handle(source, req, res) {
      const flight = await flightOf(source, req, res);
      if (!flight) return;
      const series = source.flights.series;
      if (series === null) {
        sendError(res, 503, "series_unavailable", "no telemetry series store is configured: the track and exports still work from the .tlog");
        return;
      }
      const q = queryOf(seriesQuery, req);
      // Sampled live from the decoded telemetry, not read from the file: served, with the file's state beside it.
      res.set("X-Flight-Integrity", (await source.flights.integrity.current(flight, "series", userOf(req))).integrity.state);
      try {
        res.json(await series.query({
          kind: q.kind,
          flightId: flight.id,
          vehicle: flight.vehicle.key,
          from: q.from ?? flight.startedAt,
          to: q.to ?? flight.endedAt ?? source.now(),
          ...(q.fields !== undefined ? { fields: q.fields } : {}),
          // 0 (or none): the raw samples.
          ...(q.resolution ? { resolutionMs: q.resolution } : {}),
        }));
      } catch (err) {
        if (err instanceof SeriesQueryError) sendError(res, 400, err.code, err.message);
        else sendError(res, 503, "series_unavailable", `the telemetry series store cannot answer: ${(err as Error).message}`);
      }
    },
  },
  {
    method: "get",
    path: "/api/flights/:id/messages",
    access: REVIEWER,
    query: noQuery,
    async handle(source, req, res) {
      const flight = await flightOf(source, req, res);
      if (!flight) return;
      // Derived from the record and stored (like the series): served, with the file's state beside it.
      res.set("X-Flight-Integrity", (await source.flights.integrity.current(flight, "messages", userOf(req))).integrity.state);
      const messages = await source.flights.catalogue.messages(flight.id);
      // What the vehicle said during a flight is part of the evidence: who read it is kept.
      await source.auth.audit.append({
        actor: req.user?.name ?? "", address: metaOf(req).address, action: "flight_messages_read", target: `flight:${flight.id}`,
        result: "ok", detail: { messages: messages.length, dropped: flight.messagesDropped },
      });
      const body: FlightMessagesResponse = {
        flightId: flight.id, vehicle: flight.vehicle.key, messages, dropped: flight.messagesDropped, limit: MAX_FLIGHT_MESSAGES,
      };
      res.json(body);
    },
  },
  {
    method: "get",
    path: "/api/flights/:id/export",
    access: REVIEWER,
    query: exportQuery,
    async handle(source, req, res) {
      const found = await flightOf(source, req, res);
      if (!found) return;
      const format = queryOf(exportQuery, req).format;
      // Reviewers' bookmarks are not read from the file: its state goes in the headers, an altered one hides none.
      const ownRecord = format === "bookmarks";
      // Evidence leaving: read in full now, whatever an earlier check found.
      const flight = ownRecord ? await source.flights.integrity.current(found, "export", userOf(req))
        : await source.flights.integrity.verify(found, "export", userOf(req));
      if (!ownRecord && refusedForIntegrity(res, flight)) return;
      const file = await openExport(source.flights.dataDir, flight, format, {
        checkSeal: flight.integrity.state !== "verified", ...(ownRecord ? { bookmarks: await source.bookmarks.list(flight.id) } : {}),
      });
      if (!file.ok) {
        sendError(res, file.status, file.code, file.message);
        return;
      }
      // Evidence leaving the system: who took which flight, in which form (and, for the original, its hash).
      await source.auth.audit.append({
        actor: req.user?.name ?? "", address: metaOf(req).address, action: "flight_exported", target: `flight:${flight.id}`,
        result: "ok", detail: { format, sha256: flight.sha256 },
      });
      await send(res, file);
    },
  },
  {
    method: "post",
    path: "/api/flights/:id/verify",
    access: VERIFIERS,
    query: noQuery,
    async handle(source, req, res) {
      const flight = await flightOf(source, req, res);
      if (!flight || refusedAsDeleted(res, flight)) return;
      const checked = await source.flights.integrity.verify(flight, "verify", userOf(req));
      // A verification is an access to the evidence: who checked which file, and what they found.
      await source.auth.audit.append({
        actor: req.user?.name ?? "", address: metaOf(req).address, action: "flight_verified", target: `flight:${flight.id}`,
        result: checked.integrity.state, detail: { sha256: flight.sha256, actualSha256: checked.integrity.actualSha256 },
      });
      const body: FlightVerifyResponse = { id: flight.id, sha256: flight.sha256, integrity: checked.integrity };
      res.json(body);
    },
  },
  route({
    method: "post",
    path: "/api/flights/:id/notes",
    access: REVIEWER,
    query: noQuery,
    body: noteBody,
    async handle(source, req, res, body) {
      const flight = await flightOf(source, req, res);
      if (!flight) return;
      // The access check has set the user; the note's author is who is signed in, never a name from the body.
      const note = await source.flights.catalogue.addNote(flight.id, req.user?.name ?? "", source.now(), body.text);
      await source.auth.audit.append({
        actor: note.author, address: metaOf(req).address, action: "flight_note_added", target: `flight:${flight.id}`,
        result: "ok", detail: { note: note.id },
      });
      res.status(201).json(note);
    },
  }),
];
