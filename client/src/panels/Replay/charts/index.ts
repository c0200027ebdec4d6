export { ReplayCharts } from "./LazyReplayCharts";
export type { ReplayChartsProps } from "./ReplayCharts";
export { CHARTS, type ChartDef, type ChartLineDef } from "./definitions";
export { shapeChart, type ChartShape, type ChartLine } from "./shape";
