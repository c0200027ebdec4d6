/** MAV_SEVERITY, as the vehicle's STATUSTEXTs carry it. */
export const SEVERITY = { EMERGENCY: 0, ALERT: 1, CRITICAL: 2, ERROR: 3, WARNING: 4, NOTICE: 5, INFO: 6, DEBUG: 7 } as const;
