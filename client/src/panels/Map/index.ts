export { MapPanel } from "./MapPanel";
export { PickPointLayer, type PickedPoint } from "./PickPointLayer";
