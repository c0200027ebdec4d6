export { InstrumentsPanel } from "./InstrumentsPanel";
