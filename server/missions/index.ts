export * from "./types";
export { parseWaypoints, serialiseWaypoints } from "./waypoints";
export { parsePlan, serialisePlan, jsonPath } from "./plan";
export type { PlanOptions } from "./plan";
