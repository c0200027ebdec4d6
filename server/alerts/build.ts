import type { Logger } from "pino";
import type { AlertConfig } from "../config";
import type { Db } from "../storage";
import { AlertEngine } from "./engine";
import type { AlertEngineDeps } from "./engine";
import { SqliteVehicleEventStore } from "./events";
import { SqliteAlertStore } from "./store";

export interface AlertsBuildDeps {
  db: Db;
  audit: AlertEngineDeps["audit"];
  log: Logger;
  clock: () => number;
  /** The fence verified on the vehicle (uploaded or downloaded): checked here even when the vehicle's own is off. */
  fenceOf: AlertEngineDeps["fenceOf"];
  /** To the screens (realtime, built after the alerts; dropped until then). */
  emit: AlertEngineDeps["emit"];
  emitEvent: NonNullable<AlertEngineDeps["emitEvent"]>;
}

/** The alert rules with their alerts and the vehicles' timeline events stored in the application database. */
export function buildAlerts(config: { alerts: AlertConfig }, deps: AlertsBuildDeps): AlertEngine {
  return new AlertEngine({
    config: config.alerts,
    store: new SqliteAlertStore(deps.db),
    clock: deps.clock,
    emit: deps.emit,
    fenceOf: deps.fenceOf,
    audit: deps.audit,
    log: deps.log.child({ part: "alerts" }),
    events: new SqliteVehicleEventStore(deps.db),
    emitEvent: deps.emitEvent,
  });
}
