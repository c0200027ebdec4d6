import path from "node:path";
import type { Logger } from "pino";
import type { AuditLog } from "../audit";
import { flightFilePath } from "../flights";
import type { FlightCatalogue } from "../flights";
import type { FootageParts } from "../footage";
import type { IncidentStore } from "../incidents";
import type { CustodySources } from "./custody";
import { ExportJobs } from "./exports";

export interface CustodyBuildDeps {
  dataDir: string;
  audit: AuditLog;
  incidents: Pick<IncidentStore, "get" | "history" | "links">;
  flights: Pick<FlightCatalogue, "get">;
  footage: Pick<FootageParts, "catalogue" | "evidence" | "syncs">;
  version: string;
  now: () => number;
  log: Logger;
}

export interface CustodyParts {
  sources: CustodySources;
  exports: ExportJobs;
}

/** Custody logs read from the audit log; bundles built under <data dir>/exports. */
export function buildCustody(d: CustodyBuildDeps): CustodyParts {
  const sources: CustodySources = { audit: d.audit, uploadsOf: (id) => d.footage.catalogue.uploadsOf(id) };
  const exports = new ExportJobs({
    ...sources,
    exportsDir: path.join(d.dataDir, "exports"),
    incident: async (id) => {
      const incident = await d.incidents.get(id);
      if (!incident) return null;
      const [history, links] = await Promise.all([d.incidents.history(id), d.incidents.links(id)]);
      return { incident, history, links };
    },
    flight: (id) => d.flights.get(id),
    flightFile: (f) => flightFilePath(d.dataDir, f),
    footage: (id) => d.footage.catalogue.get(id),
    original: (sha) => d.footage.evidence.locate(sha),
    sidecar: (id) => d.footage.syncs.sidecar(id),
    syncs: (id) => d.footage.syncs.history(id),
    audit: d.audit,
    version: d.version,
    now: d.now,
    log: d.log.child({ part: "exports" }),
  });
  return { sources, exports };
}
