export { createApp, tileSource, BODY_LIMIT } from "./app";
export { ROUTES } from "./routes";
export { writableCheck } from "./health-routes";
export type { Healthz } from "./health-routes";
export type { ApiSource, AuthServices, Route, Access } from "./route";
export { EVERYONE_SIGNED_IN, ADMIN } from "./route";
export { OriginPolicy } from "./origin";
export { SESSION_COOKIE, readCookie, sessionOf } from "./session";
export type { RequestUser } from "./session";
