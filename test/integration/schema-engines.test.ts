import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../server/migrations";
import { migrate, migratePostgres, openDatabase, openPostgres } from "../../server/storage";
import type { Db, PgPool } from "../../server/storage";
import { Postgres } from "../helpers/postgres";

/**
 * One migration list for both engines: the whole list runs on SQLite (the embedded default) and on a real
 * PostgreSQL (Debian's; a missing one fails the test), and the two schemas must agree on everything the stores
 * rely on: tables, columns (type family, NOT NULL), primary keys, foreign keys, unique constraints, indexes and
 * triggers (the write-once rules of the evidence tables are triggers: one missing on an engine is a hole).
 */

type Family = "integer" | "text" | "real" | "blob" | "numeric";

interface TableShape {
  columns: Record<string, { family: Family; notNull: boolean }>;
  primaryKey: string[];
  /** "column -> table(column) on delete ACTION", sorted. */
  foreignKeys: string[];
  /** Sorted column lists of UNIQUE constraints (the primary key left out). */
  unique: string[];
  /** "name: [unique ]columns[ partial]" of every explicitly created index. */
  indexes: string[];
  triggers: string[];
}
type Shape = Record<string, TableShape>;

const log = pino({ level: "silent" });

function sqliteFamily(declared: string): Family {
  const t = declared.toUpperCase();
  if (t.includes("INT")) return "integer";
  if (t.includes("CHAR") || t.includes("TEXT") || t.includes("CLOB")) return "text";
  if (t.includes("REAL") || t.includes("FLOA") || t.includes("DOUB")) return "real";
  if (t === "" || t.includes("BLOB")) return "blob";
  return "numeric";
}

function pgFamily(type: string): Family {
  if (["bigint", "integer", "smallint"].includes(type)) return "integer";
  if (["text", "citext", "character varying"].includes(type)) return "text";
  if (["double precision", "real"].includes(type)) return "real";
  if (type === "bytea") return "blob";
  if (type === "numeric") return "numeric";
  throw new Error(`PostgreSQL column type ${type} has no SQLite counterpart in this comparison`);
}


function sqliteShape(db: Db): Shape {
  const shape: Shape = {};
  const tables = db.prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table'
    AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name`).all();
  for (const { name } of tables) {
    const cols = db.prepare<[], { name: string; type: string; notnull: number; pk: number }>(`SELECT name, type, "notnull", pk FROM pragma_table_info('${name}')`).all();
    const primaryKey = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    const columns: TableShape["columns"] = {};
    // A primary key column is NOT NULL on both engines (SQLite's rowid alias cannot hold NULL either).
    for (const c of cols) columns[c.name] = { family: sqliteFamily(c.type), notNull: c.notnull === 1 || c.pk > 0 };
    const foreignKeys = db.prepare<[], { from: string; table: string; to: string | null; on_delete: string }>(
      `SELECT "from", "table", "to", on_delete FROM pragma_foreign_key_list('${name}')`).all()
      .map((f) => `${f.from} -> ${f.table}(${f.to ?? primaryKeyOf(db, f.table)}) on delete ${f.on_delete.toUpperCase()}`).sort();
    const unique: string[] = [];
    const indexes: string[] = [];
    for (const ix of db.prepare<[], { name: string; unique: number; origin: string; partial: number }>(`SELECT name, "unique", origin, partial FROM pragma_index_list('${name}')`).all()) {
      const ixCols = db.prepare<[], { name: string }>(`SELECT name FROM pragma_index_info('${ix.name}') ORDER BY seqno`).all().map((c) => c.name);
      if (ix.origin === "u") unique.push(ixCols.join(", "));
      else if (ix.origin === "c") indexes.push(`${ix.name}: ${ix.unique ? "unique " : ""}${ixCols.join(", ")}${ix.partial ? " partial" : ""}`);
    }
    const triggers = db.prepare<[string], { name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?`).all(name).map((t) => t.name);
    shape[name] = { columns, primaryKey, foreignKeys, unique: unique.sort(), indexes: indexes.sort(), triggers: triggers.sort() };
  }
  return shape;
}

function primaryKeyOf(db: Db, table: string): string {
  return db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}') WHERE pk > 0 ORDER BY pk`).all().map((c) => c.name).join(", ");
}

async function postgresShape(pool: PgPool): Promise<Shape> {
  const shape: Shape = {};
  const q = async <R extends object>(sql: string, params: unknown[] = []): Promise<R[]> => (await pool.query<R>(sql, params)).rows;
  const tables = await q<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY 1`);
  for (const { name } of tables) {
    const columns: TableShape["columns"] = {};
    for (const c of await q<{ name: string; type: string; nullable: string; udt: string }>(`SELECT column_name AS name, data_type AS type,
      is_nullable AS nullable, udt_name AS udt FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`, [name])) {
      columns[c.name] = { family: pgFamily(c.type === "USER-DEFINED" ? c.udt : c.type), notNull: c.nullable === "NO" };
    }
    const constraints = await q<{ kind: string; columns: string[]; ref_table: string | null; ref_columns: string[] | null; del: string }>(`
      SELECT c.contype AS kind,
        ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
        c.confrelid::regclass::text AS ref_table,
        ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS ref_columns,
        c.confdeltype AS del
      FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u', 'f')`, [name]);
    const primaryKey = constraints.find((c) => c.kind === "p")?.columns ?? [];
    const actions: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };
    const foreignKeys = constraints.filter((c) => c.kind === "f")
      .map((c) => `${c.columns.join(", ")} -> ${c.ref_table}(${(c.ref_columns ?? []).join(", ")}) on delete ${actions[c.del] ?? c.del}`).sort();
    const unique = constraints.filter((c) => c.kind === "u").map((c) => c.columns.join(", ")).sort();
    const indexes = (await q<{ name: string; unique: boolean; columns: string[]; partial: boolean }>(`
      SELECT i.relname AS name, x.indisunique AS unique, x.indpred IS NOT NULL AS partial,
        ARRAY(SELECT pg_get_indexdef(x.indexrelid, k.i::int, true) FROM generate_series(1, x.indnkeyatts) k(i) ORDER BY k.i) AS columns
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`, [name]))
      .map((ix) => `${ix.name}: ${ix.unique ? "unique " : ""}${ix.columns.map((c) => c.replace(/^"(.*)"$/, "$1")).join(", ")}${ix.partial ? " partial" : ""}`).sort();
    const triggers = (await q<{ name: string }>("SELECT tgname AS name FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal", [name]))
      .map((t) => t.name).sort();
    shape[name] = { columns, primaryKey, foreignKeys, unique, indexes, triggers };
  }
  return shape;
}

describe("the migration list on SQLite and PostgreSQL", () => {
  let server: Postgres;
  let pool: PgPool;
  let sqlite: Shape;
  let postgres: Shape;

  beforeAll(async () => {
    server = await Postgres.create();
    pool = await openPostgres(await server.createDatabase(), log);
    await migratePostgres(pool, MIGRATIONS, log);
    postgres = await postgresShape(pool);
    const db = openDatabase(":memory:", log);
    migrate(db, MIGRATIONS, log);
    sqlite = sqliteShape(db);
    db.close();
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await server?.dispose();
  });

  it("creates the same tables", () => {
    expect(Object.keys(postgres)).toEqual(Object.keys(sqlite));
    expect(Object.keys(sqlite).length).toBeGreaterThan(30);
  });

  it("gives every table the same columns, keys, indexes and triggers", () => {
    for (const table of Object.keys(sqlite)) {
      expect({ table, ...postgres[table] }).toEqual({ table, ...sqlite[table] });
    }
  });

  it("records the same history on both", async () => {
    const rows = (await pool.query<{ version: number; name: string }>("SELECT version, name FROM schema_migrations ORDER BY version")).rows;
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });
});
