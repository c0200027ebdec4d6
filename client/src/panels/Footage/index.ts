export { FootagePage, isFootagePath, type FootagePageProps } from "./FootagePage";
export { IncidentFootage } from "./IncidentFootage";
export { ReplayFootagePanel } from "./ReplayFootagePanel";
export { FootageLane } from "./FootageLane";
export { FootageMapLayer } from "./FootageMapLayer";
export { useReplayFootage, type ReplayFootageItem } from "./useReplayFootage";
export { createFootageApi, type FootageApi } from "./api";
