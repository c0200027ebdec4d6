import { z } from "zod";
import { SERIES_FIELDS } from "../../protocol";
import type { SeriesKind, SeriesResponse, VehicleKey } from "../../protocol";

export const SERIES_KINDS = Object.keys(SERIES_FIELDS) as SeriesKind[];

/** One sample of one kind for one vehicle, as the sampler produces it. Values are SI; missing ones are null/absent. */
export interface SeriesPoint {
  kind: SeriesKind;
  vehicle: VehicleKey;
  /** The flight the vehicle was in, or null between flights. */
  flightId: number | null;
  /** ms since the epoch (or the virtual clock of a replay). */
  time: number;
  values: Partial<Record<string, number | null>>;
}

/** What a store is asked; see seriesQuerySchema for the rules. */
export interface SeriesQuery {
  kind: SeriesKind;
  vehicle?: VehicleKey;
  flightId?: number;
  /** Inclusive range, ms since the epoch. */
  from: number;
  to: number;
  /** A subset of SERIES_FIELDS[kind]; all of them when absent. */
  fields?: string[];
  /** Bucket width: mean per bucket (buckets aligned to multiples of it since the epoch, empty ones left out). */
  resolutionMs?: number;
}

/**
 * Health of a store, for the status page and alerts.
 * - ok: every point reached storage (or is waiting for the next batch: `pending`);
 * - buffering: storage unreachable since `since`; points are held in memory and written when it is back;
 * - failing: storage answers but refuses (authorisation, bad data): an operator must look.
 * `dropped` counts points lost because the buffer was full (oldest first), `rejected` those refused by storage.
 */
export type SeriesStoreStatus =
  | { state: "ok"; pending: number; dropped: number; rejected: number }
  | { state: "buffering" | "failing"; buffered: number; dropped: number; rejected: number; since: number; reason: string };

export interface SeriesStore {
  /** Accepts points at once (never throws for a storage problem: that shows in status()). */
  write(points: readonly SeriesPoint[]): void;
  /** Throws SeriesQueryError for a bad query, another Error when storage cannot answer. */
  query(query: SeriesQuery): Promise<SeriesResponse>;
  /**
   * Removes every point of a flight (a rebuild writes them again from the .tlog: its sample times need not be the
   * live sampler's, so replacing point by point would leave both). Throws when storage cannot do it.
   */
  deleteFlight(flightId: number): Promise<void>;
  /** Tries to write everything held; resolves with the status afterwards. */
  flush(): Promise<SeriesStoreStatus>;
  status(): SeriesStoreStatus;
  /** Flushes what it can and stops timers. The store's owner closes shared resources (the SQLite database). */
  close(): Promise<void>;
}

export class SeriesQueryError extends Error {
  readonly code = "bad_series_query";
}

/** Far beyond any flight; a bound so a typo cannot ask for millions of buckets' worth of work per request. */
const MAX_RANGE_MS = 366 * 24 * 3600_000;

export const seriesQuerySchema = z.object({
  kind: z.enum(SERIES_KINDS as [SeriesKind, ...SeriesKind[]]),
  vehicle: z.string().regex(/^\d{1,3}:\d{1,3}$/, "must be a vehicle key like 1:1").optional(),
  flightId: z.number().int().positive().optional(),
  from: z.number().int().min(0),
  to: z.number().int().min(0),
  fields: z.array(z.string()).min(1).optional(),
  resolutionMs: z.number().int().min(1).max(MAX_RANGE_MS).optional(),
}).superRefine((q, ctx) => {
  if (q.vehicle === undefined && q.flightId === undefined) {
    ctx.addIssue({ code: "custom", path: ["vehicle"], message: "give a vehicle or a flight" });
  }
  if (q.to < q.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
  if (q.to - q.from > MAX_RANGE_MS) ctx.addIssue({ code: "custom", path: ["to"], message: "range longer than a year" });
  const known: readonly string[] = SERIES_FIELDS[q.kind];
  for (const field of q.fields ?? []) {
    if (!known.includes(field)) ctx.addIssue({ code: "custom", path: ["fields"], message: `${q.kind} has no field ${field}` });
  }
});

export interface ValidQuery {
  kind: SeriesKind;
  vehicle: VehicleKey | undefined;
  flightId: number | undefined;
  from: number;
  to: number;
  fields: string[];
  resolutionMs: number;
}

/** Validates a query (stores are reached from HTTP) and fills the defaults both adapters rely on. */
export function validQuery(query: SeriesQuery): ValidQuery {
  const parsed = seriesQuerySchema.safeParse(query);
  if (!parsed.success) {
    throw new SeriesQueryError(parsed.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`).join("; "));
  }
  const q = parsed.data;
  return {
    kind: q.kind,
    vehicle: q.vehicle as VehicleKey | undefined,
    flightId: q.flightId,
    from: q.from,
    to: q.to,
    // Deduplicated and in the kind's own order, so both adapters answer with the same column order.
    fields: SERIES_FIELDS[q.kind].filter((f) => q.fields === undefined || q.fields.includes(f)),
    resolutionMs: q.resolutionMs ?? 0,
  };
}

/** A point reduced to what storage keeps: known fields with finite values, whole ms. Null when nothing is left. */
export function storablePoint(point: SeriesPoint): SeriesPoint | null {
  const fields: readonly string[] = SERIES_FIELDS[point.kind] ?? [];
  const values: Record<string, number> = {};
  let any = false;
  for (const field of fields) {
    const v = point.values[field];
    // NaN and infinities cannot be stored by InfluxDB; they mean "unknown" here, like null.
    if (typeof v === "number" && Number.isFinite(v)) {
      values[field] = v;
      any = true;
    }
  }
  if (!any || !Number.isFinite(point.time)) return null;
  return { ...point, time: Math.round(point.time), values };
}
