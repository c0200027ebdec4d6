/**
 * The audit log's appends on each engine, measured in one run: the embedded SQLite (a file in a temp dir, WAL, as the
 * server opens it) and a real PostgreSQL (Debian's, started in a temp dir by the test helper; POSTGRES_BIN names
 * another build). For each:
 *  - awaited one at a time (a route recording an access before serving it): entries/s and the p50/p99 of one append;
 *  - recorded without waiting, --burst at once (control changes, alerts): entries/s until all are written, which
 *    batches what queues while a write is in flight;
 *  - on PostgreSQL, the same burst split over --servers logs on one database (servers taking turns on the chain's head);
 *  - then `verify` of the whole chain (the walk, a page at a time), entries/s.
 * Figures include the hashing, the transaction and the commit (SQLite: synchronous=NORMAL under WAL; PostgreSQL:
 * fsync on, loopback); they leave out signing checkpoints (no key here) and any other load on the server.
 * Usage: npm run bench:audit [-- --entries 2000 --burst 5000 --servers 3]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pino from "pino";
import { AuditLog } from "../server/audit";
import type { AuditInput } from "../server/audit";
import { MIGRATIONS } from "../server/migrations";
import { AppSql, migratePostgres, openAppDatabase, openPostgres } from "../server/storage";
import { Postgres } from "../test/helpers/postgres";
import { numberArg } from "./number-arg";

const log = pino({ level: "silent" });
const entries = numberArg("entries", 2000);
const burst = numberArg("burst", 5000);
const servers = numberArg("servers", 3);

const input = (i: number, actor = "pc.jones"): AuditInput => ({
  actor, address: "10.0.0.7", action: "footage_viewed", target: `footage:${i % 50}`, result: "ok", detail: { sha256: "ab".repeat(32), range: null },
});

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString("en")}/s`;

async function measure(engine: string, logs: AuditLog[]): Promise<void> {
  const [audit] = logs;
  if (!audit) return;
  const times: number[] = [];
  let t0 = performance.now();
  for (let i = 0; i < entries; i++) {
    const t = performance.now();
    await audit.append(input(i));
    times.push(performance.now() - t);
  }
  const awaited = performance.now() - t0;
  times.sort((a, b) => a - b);
  console.log(`${engine}: ${entries} appends awaited one at a time: ${rate(entries, awaited)}, one append p50 ${pct(times, 0.5).toFixed(2)} ms, p99 ${pct(times, 0.99).toFixed(2)} ms`);

  t0 = performance.now();
  for (let i = 0; i < burst; i++) audit.record(input(i));
  await audit.flush();
  console.log(`${engine}: ${burst} recorded at once, written in batches: ${rate(burst, performance.now() - t0)}`);

  if (logs.length > 1) {
    t0 = performance.now();
    await Promise.all(logs.map((l, n) => Promise.all([...Array(Math.floor(burst / logs.length)).keys()].map((i) => l.append(input(i, `server${n}`))))));
    console.log(`${engine}: ${burst} appended by ${logs.length} servers at once on one database: ${rate(burst, performance.now() - t0)}`);
  }

  t0 = performance.now();
  const r = await audit.verify();
  if (!r.ok) throw new Error(`the chain does not verify: ${r.problems[0]?.message ?? "?"}`);
  console.log(`${engine}: verify of ${r.entries} entries: ${rate(r.entries, performance.now() - t0)}`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-bench-audit-"));
  const db = openAppDatabase(dir, log, MIGRATIONS);
  try {
    await measure("SQLite", [new AuditLog(AppSql.sqlite(db), log)]);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const server = await Postgres.create();
  const sqls: AppSql[] = [];
  try {
    await server.query("CREATE DATABASE dmc_bench");
    const first = await openPostgres(server.urlOf("dmc_bench"), log);
    await migratePostgres(first, MIGRATIONS, log);
    sqls.push(AppSql.postgres(first));
    // Each further "server" with its own pool, as separate processes would have.
    for (let n = 1; n < servers; n++) sqls.push(AppSql.postgres(await openPostgres(server.urlOf("dmc_bench"), log)));
    await measure("PostgreSQL", sqls.map((sql) => new AuditLog(sql, log)));
  } finally {
    await Promise.all(sqls.map((s) => s.close()));
    await server.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
