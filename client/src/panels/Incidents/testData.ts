// Sample incidents for this folder's tests (only tests import this).
import type { Incident, IncidentDetail, IncidentLink } from "../../../../server/protocol";

export const T0 = Date.UTC(2026, 10, 21, 22, 0);

export function sampleIncident(over: Partial<Incident> = {}): Incident {
  return {
    id: 5, reference: "CAD 1234/21NOV", title: "Burglary in progress", type: "crime_scene", status: "open",
    location: { kind: "area", points: [{ lat: 51.506, lon: -0.13 }, { lat: 51.509, lon: -0.13 }, { lat: 51.509, lon: -0.125 }] },
    start: T0, end: null, officer: "DS 4471 Okafor", notes: "Suspects seen on the roof", createdAt: T0, createdBy: "rita",
    updatedAt: T0 + 60_000, updatedBy: "rita", version: 2, ...over,
  };
}

export function sampleLink(over: Partial<IncidentLink> = {}): IncidentLink {
  return {
    id: 1, incidentId: 5, kind: "flight", itemId: 7, linkedAt: T0 + 120_000, linkedBy: "rita", reason: "Overflew the roof",
    unlinkedAt: null, unlinkedBy: null, unlinkReason: null, ...over,
  };
}

export function sampleDetail(over: Partial<IncidentDetail> = {}): IncidentDetail {
  return {
    incident: sampleIncident(),
    history: [
      { id: 1, incidentId: 5, version: 1, at: T0, by: "rita", action: "created", changes: [], reason: null },
      { id: 2, incidentId: 5, version: 2, at: T0 + 60_000, by: "rita", action: "edited", changes: [{ field: "title", before: "Burglary", after: "Burglary in progress" }], reason: null },
    ],
    links: [
      sampleLink(),
      sampleLink({ id: 2, itemId: 9, unlinkedAt: T0 + 300_000, unlinkedBy: "sam", unlinkReason: "Wrong street" }),
    ],
    ...over,
  };
}
