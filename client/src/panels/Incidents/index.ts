export { IncidentsPage, isIncidentsPath, type IncidentsPageProps } from "./IncidentsPage";
export { IncidentLayer, INCIDENT_COLOUR } from "./IncidentLayer";
export { FlightIncidents, incidentHref } from "./FlightIncidents";
export { createIncidentsApi, type IncidentsApi } from "./api";
export { ReasonButton } from "./ReasonButton";
export { formatUtc } from "./format";
