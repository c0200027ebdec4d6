export { createApp } from "./app";
export { ROUTES } from "./routes";
export type { ApiSource, Route, Access } from "./routes";
export { OriginPolicy } from "./origin";
