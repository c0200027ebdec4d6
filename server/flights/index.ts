export { flightMigrations } from "./schema";
export { FlightCatalogue, DEFAULT_PAGE, MAX_PAGE } from "./catalogue";
export type { FlightStats, NewFlight, Seal } from "./catalogue";
