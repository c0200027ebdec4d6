export { loadConfig, helpText, resolveDataDir, parseSigningKeys, DEFAULT_DATA_DIR } from "./load";
export type { ConfigResult } from "./load";
export { configSchema, DEFAULT_TILE_URL, DEFAULT_TILE_ATTRIBUTION } from "./schema";
export type { Config } from "./schema";
export { alertConfigSchema, DEFAULT_ALERT_CONFIG } from "./alerts";
export type { AlertConfig } from "./alerts";
export { DEFAULT_SERIES, DEFAULT_SERIES_RATE } from "./series";
export type { InfluxTarget, SeriesConfig } from "./series";
