export { Badge } from "./Badge";
export { BatteryGauge } from "./BatteryGauge";
export { ColourDot } from "./ColourDot";
export { Metric } from "./Metric";
export { LOST_COLOUR, VEHICLE_COLOURS, vehicleColour } from "./colours";
export { SEVERITY_SHORT, levelTone, severityTone, type Tone } from "./tone";
