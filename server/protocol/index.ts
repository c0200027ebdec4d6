export * from "./vehicle";
export * from "./links";
export * from "./realtime";
export * from "./result";
export * from "./api";
export * from "./trail";
export * from "./auth";
