export { LiveView } from "./LiveView";
