/** How alarming a reading is; panels map it to a colour. */
export type Level = "ok" | "caution" | "warning" | "unknown";
