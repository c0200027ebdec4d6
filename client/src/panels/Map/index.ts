export { MapPanel } from "./MapPanel";
export { PickPointLayer, type PickedPoint } from "./PickPointLayer";
export { pointsBounds } from "./fit";
export type { MapFitRequest } from "./MapController";
