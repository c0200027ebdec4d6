import { z } from "zod";
import { FieldType, escape } from "influx";
import type { IPoint, ISchemaOptions } from "influx";
import { SERIES_FIELDS } from "../../protocol";
import type { SeriesSample } from "../../protocol";
import { SERIES_KINDS } from "./types";
import type { SeriesPoint, ValidQuery } from "./types";

/**
 * Every field is a float, always: a field's type is fixed per shard in InfluxDB, and one integer-looking value
 * written as an integer (satellites, armed) would make every later float of that field a "field type conflict".
 * The schema makes the client library write `3` as a float and refuse anything else before it is sent.
 */
export function influxSchema(database: string): ISchemaOptions[] {
  return SERIES_KINDS.map((kind) => ({
    database,
    measurement: kind,
    fields: Object.fromEntries(SERIES_FIELDS[kind].map((f) => [f, FieldType.FLOAT])),
    tags: ["vehicle", "flight"],
  }));
}

/** A stored point (already reduced by storablePoint) as a line: tagged by vehicle, and flight when in one. */
export function toInfluxPoint(p: SeriesPoint): IPoint {
  const fields: Record<string, number> = {};
  for (const [k, v] of Object.entries(p.values)) if (typeof v === "number") fields[k] = v;
  return {
    measurement: p.kind,
    tags: p.flightId === null ? { vehicle: p.vehicle } : { vehicle: p.vehicle, flight: String(p.flightId) },
    fields,
    // A number with precision "ms" on the write: without it InfluxDB reads nanoseconds and lands in 1970.
    timestamp: p.time,
  };
}

/** InfluxQL for a validated query. Identifiers come from SERIES_FIELDS; tag values are escaped string literals. */
export function selectInfluxQl(q: ValidQuery): string {
  const where = [`time >= ${q.from}ms`, `time <= ${q.to}ms`];
  if (q.vehicle !== undefined) where.push(`"vehicle" = ${escape.stringLit(q.vehicle)}`);
  if (q.flightId !== undefined) where.push(`"flight" = ${escape.stringLit(String(q.flightId))}`);
  const filter = where.join(" AND ");
  if (q.resolutionMs === 0) {
    return `SELECT ${q.fields.map((f) => `"${f}"`).join(", ")} FROM "${q.kind}" WHERE ${filter}`;
  }
  // fill(none): an empty bucket is left out, as the SQLite adapter's GROUP BY leaves it out.
  const means = q.fields.map((f) => `mean("${f}") AS "${f}"`).join(", ");
  return `SELECT ${means} FROM "${q.kind}" WHERE ${filter} GROUP BY time(${q.resolutionMs}ms) fill(none)`;
}

const chunk = z.object({
  results: z.array(z.object({
    error: z.string().optional(),
    series: z.array(z.object({
      columns: z.array(z.string()),
      values: z.array(z.array(z.union([z.number(), z.string(), z.boolean(), z.null()]))),
    })).optional(),
  })).optional(),
  error: z.string().optional(),
});

/**
 * The chunks of a chunked /query answer (epoch=ms), checked (they cross a process boundary), to samples.
 * Chunked because a plain answer is cut at the server's max-row-limit with only a `partial` flag to show for
 * it, a flag InfluxDB 1.6 also sets on complete answers past 10000 rows: a short series must never pass silently.
 */
export function samplesOf(chunks: readonly unknown[], fields: readonly string[]): SeriesSample[] {
  const samples: SeriesSample[] = [];
  for (const json of chunks) {
    const parsed = chunk.safeParse(json);
    if (!parsed.success) throw new Error(`unexpected InfluxDB answer: ${parsed.error.issues[0]?.message ?? "?"}`);
    const error = parsed.data.error ?? parsed.data.results?.[0]?.error;
    if (error !== undefined) {
      // A store that never wrote has no database (or policy) yet: nothing recorded, not a failure.
      if (/(database|retention policy) not found/.test(error)) return [];
      throw new Error(`InfluxDB: ${error}`);
    }
    for (const series of parsed.data.results?.[0]?.series ?? []) {
      const index = fields.map((f) => series.columns.indexOf(f));
      const timeAt = series.columns.indexOf("time");
      for (const row of series.values) {
        const values: Record<string, number | null> = {};
        fields.forEach((f, i) => {
          const v = row[index[i] ?? -1];
          values[f] = typeof v === "number" ? v : null;
        });
        samples.push({ time: Number(row[timeAt]), values });
      }
    }
  }
  // Stable: samples of several series (flights, vehicles) at one time keep their order.
  return samples.sort((a, b) => a.time - b.time);
}

/** "90d" -> "2160h0m0s", the form SHOW RETENTION POLICIES answers with ("0s": forever). */
export function influxDuration(retention: string): string {
  const m = /^(\d+)([hdw])$/.exec(retention);
  if (!m) return "0s";
  const hours = Number(m[1]) * { h: 1, d: 24, w: 168 }[m[2] as "h" | "d" | "w"];
  return `${hours}h0m0s`;
}
