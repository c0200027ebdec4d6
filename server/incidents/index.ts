/** server/incidents: incidents (CAD or crime numbers), their history, and the flights linked to them as evidence. */
export { IncidentStore, isIncidentRefusal, MAX_MAP_INCIDENTS } from "./store";
export type { IncidentRefusal, LiveLink } from "./store";
export { OpenIncidents } from "./open";
export type { IncidentTables } from "./tables";
export {
  incidentMigrations, incidentInputSchema, incidentEditSchema, statusChangeSchema, linkRequestSchema, unlinkRequestSchema,
  incidentListQuery, normaliseReference, REFERENCE_RULE,
} from "./schema";
export { passageOf, placeBox } from "./suggest";
export type { Passage, TrackPosition } from "./suggest";
