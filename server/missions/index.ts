export * from "./types";
export { parseWaypoints, serialiseWaypoints } from "./waypoints";
export { parsePlan, serialisePlan, jsonPath } from "./plan";
export type { PlanOptions } from "./plan";
export { missionSchema, MAX_LIST_ITEMS } from "./schema";
export {
  missionToLists, listsToMission, homeListItem, fenceList, rallyList, MISSION_TYPES, LIST_CMD,
} from "./lists";
export type { ListItem, MissionLists, ListsReading } from "./lists";
export { compareLists, itemDifferences } from "./compare";
