// Test helper (only tests import this): a started engine on a real store (an in-memory SQLite database unless one
// is given, on either engine), a settable clock, and recorders for what it emits and audits.
import pino from "pino";
import type { Alert, Mission, VehicleEvent, VehicleKey, VehicleState } from "../../../server/protocol";
import { DEFAULT_ALERT_CONFIG } from "../../../server/config";
import type { AlertConfig } from "../../../server/config";
import { AppSql, migrate, openDatabase } from "../../../server/storage";
import { MIGRATIONS } from "../../../server/migrations";
import type { Db } from "../../../server/storage";
import { AlertEngine, SqlAlertStore, SqlVehicleEventStore } from "../../../server/alerts";
import type { AlertAudit, AlertAuditInput, AlertTuning } from "../../../server/alerts";
import { T0 } from "./vehicles";

export const TICK_MS = 100;

export function memoryDb(): Db {
  const log = pino({ level: "silent" });
  const db = openDatabase(":memory:", log);
  migrate(db, MIGRATIONS, log);
  return db;
}

export async function alertHarness(opts: { config?: Partial<AlertConfig>; tuning?: Partial<AlertTuning>; sql?: AppSql; audit?: AlertAudit; server?: string } = {}) {
  const sql = opts.sql ?? AppSql.sqlite(memoryDb());
  const clock = { now: T0 };
  const emitted: Alert[] = [];
  const events: VehicleEvent[] = [];
  const audited: AlertAuditInput[] = [];
  const fences = new Map<VehicleKey, Mission["fence"]>();
  const store = new SqlAlertStore(sql, opts.server ?? null);
  const engine = new AlertEngine({
    config: { ...DEFAULT_ALERT_CONFIG, ...opts.config },
    store,
    clock: () => clock.now,
    emit: (a) => emitted.push(a),
    fenceOf: (key) => fences.get(key) ?? null,
    audit: opts.audit ?? { append: (input) => { audited.push(input); return Promise.resolve(); } },
    log: pino({ level: "silent" }),
    ...(opts.tuning ? { tuning: opts.tuning } : {}),
    events: new SqlVehicleEventStore(sql),
    emitEvent: (e) => events.push(e),
  });
  await engine.start();
  /** Feeds one state per tick (100 ms apart), the clock following. */
  const run = (states: readonly VehicleState[]) => {
    for (const v of states) {
      clock.now += TICK_MS;
      engine.evaluate([{ ...v, lastUpdate: clock.now }], clock.now);
    }
  };
  /** Holds a state for `ms`. */
  const hold = (v: VehicleState, ms: number) => run(Array.from({ length: Math.round(ms / TICK_MS) }, () => v));
  /** Distinct alerts (by id) emitted so far, each as last emitted. */
  const alerts = (rule?: Alert["rule"]) => {
    const byId = new Map<number, Alert>();
    for (const a of emitted) byId.set(a.id, a);
    return [...byId.values()].filter((a) => rule === undefined || a.rule === rule);
  };
  return { sql, clock, emitted, events, audited, fences, store, engine, run, hold, alerts };
}
