/**
 * Roles, several per user:
 * - admin: users and settings;
 * - pilot: vehicle commands and missions;
 * - observer: the live map, read-only (the control room);
 * - reviewer: flights, replay, incidents and footage.
 */
export type Role = "admin" | "pilot" | "observer" | "reviewer";

export const ROLES: readonly Role[] = ["admin", "pilot", "observer", "reviewer"];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** A user as shown to administrators (never carries a password hash). Times are ISO 8601. */
export interface UserSummary {
  id: number;
  name: string;
  roles: Role[];
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

/** The signed-in user, as the client sees it. */
export interface SessionUser {
  name: string;
  roles: Role[];
}

/** POST /api/auth/login body. */
export interface LoginRequest {
  name: string;
  password: string;
}

/** POST /api/auth/login 200, GET /api/auth/me 200. */
export interface MeResponse {
  user: SessionUser;
}

/** GET /api/auth/status (public): what the login page needs to know before anyone signs in. */
export interface AuthStatus {
  /** False until the first admin exists; the page then says how to create one. */
  hasAdmin: boolean;
  howToCreateAdmin: string;
}

/** POST /api/users body (admin). */
export interface CreateUserRequest {
  name: string;
  password: string;
  roles: Role[];
}

/** PATCH /api/users/:name body (admin): any of the fields. */
export interface UpdateUserRequest {
  roles?: Role[];
  disabled?: boolean;
}

/** POST /api/users/:name/password body (admin). */
export interface ResetPasswordRequest {
  password: string;
}

/** GET /api/users (admin). */
export interface UsersResponse {
  users: UserSummary[];
}

/** Who holds control of a vehicle: only the holder's commands reach it. */
export interface VehicleControl {
  /** User name of the pilot in control, or null. */
  holder: string | null;
  /** When control was taken (ms since epoch), or null. */
  since: number | null;
}
