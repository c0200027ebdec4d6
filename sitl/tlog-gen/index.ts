/**
 * sitl/tlog-gen: generated .tlog recordings of several ArduCopters flying, for import tests and benchmarks that
 * need more (longer, more vehicles, more flights) than the real fixtures hold.
 */
export { generateTlog, writeGeneratedTlog } from "./generate";
export type { GeneratedFlight, GeneratedTlog, GeneratedVehicle, TlogGenOptions } from "./generate";
export { TELEMETRY_RATES } from "./telemetry";
export { writeLongTlog } from "./long";
export type { LongTlog, LongTlogOptions } from "./long";
