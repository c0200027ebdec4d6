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
