export { AlertsStrip } from "./AlertsStrip";
