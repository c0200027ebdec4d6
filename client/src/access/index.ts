export { ApiCallError, createApi, describeApiError, describeLoginError, type Api, type ApiOptions } from "./api";
export { createSession, type LiveHandle, type LoginOutcome, type Session, type SessionOptions, type StartLiveOptions } from "./session";
export { SessionProvider, useSession } from "./context";
export { controlsFor, describeHolder, hasRole, NO_CONTROLS, type VehicleControls } from "./roles";
export { createCall, errorOf, type CallInit, type JsonCall } from "./call";
