import type { Logger } from "pino";
import type { AlertConfig } from "../config";
import type { AppSql } from "../storage";
import { AlertEngine } from "./engine";
import type { AlertEngineDeps } from "./engine";
import { SqlVehicleEventStore } from "./events";
import { SqlAlertStore } from "./store";

export interface AlertsBuildDeps {
  sql: AppSql;
  /** This server's id (serverIdOf): the alerts it raises are its own, closed by its own restart only. */
  server: string;
  audit: AlertEngineDeps["audit"];
  log: Logger;
  clock: () => number;
  /** The fence verified on the vehicle (uploaded or downloaded): checked here even when the vehicle's own is off. */
  fenceOf: AlertEngineDeps["fenceOf"];
  /** To the screens (realtime, built after the alerts; dropped until then). */
  emit: AlertEngineDeps["emit"];
  emitEvent: NonNullable<AlertEngineDeps["emitEvent"]>;
}

/** The alert rules with their alerts and the vehicles' timeline events stored in the application database; started. */
export async function buildAlerts(config: { alerts: AlertConfig }, deps: AlertsBuildDeps): Promise<AlertEngine> {
  const engine = new AlertEngine({
    config: config.alerts,
    store: new SqlAlertStore(deps.sql, deps.server),
    clock: deps.clock,
    emit: deps.emit,
    fenceOf: deps.fenceOf,
    audit: deps.audit,
    log: deps.log.child({ part: "alerts" }),
    events: new SqlVehicleEventStore(deps.sql),
    emitEvent: deps.emitEvent,
  });
  await engine.start();
  return engine;
}
