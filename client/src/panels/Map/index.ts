export { MapPanel } from "./MapPanel";
