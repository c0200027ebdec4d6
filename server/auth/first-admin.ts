import type { AuditLog } from "../audit";
import type { UserStore } from "./users";

export interface FirstAdminEnv {
  DMC_ADMIN_USER?: string | undefined;
  DMC_ADMIN_PASSWORD?: string | undefined;
}

export type FirstAdminOutcome =
  | { kind: "already" }
  | { kind: "created"; name: string }
  | { kind: "invalid"; message: string }
  | { kind: "none"; howTo: string };

export const FIRST_ADMIN_HOW_TO = "There is no administrator yet, so nobody can log in to manage users. Create one with\n"
  + "  npm run user -- add NAME --role admin\n"
  + "(it asks for the password, or reads it from stdin), or start the server once with DMC_ADMIN_USER and\n"
  + "DMC_ADMIN_PASSWORD set (then unset DMC_ADMIN_PASSWORD).";

/**
 * At server start: when no enabled admin exists, create one from DMC_ADMIN_USER + DMC_ADMIN_PASSWORD, or
 * say how to. The password is never logged nor put in the outcome. With an admin already there, the
 * variables are ignored (they cannot be used to take over an installed system).
 */
export async function ensureFirstAdmin(users: UserStore, env: FirstAdminEnv, audit: AuditLog): Promise<FirstAdminOutcome> {
  if (users.hasAdmin()) return { kind: "already" };
  const name = env.DMC_ADMIN_USER?.trim() ?? "";
  const password = env.DMC_ADMIN_PASSWORD ?? "";
  if (name === "" && password === "") return { kind: "none", howTo: FIRST_ADMIN_HOW_TO };
  if (name === "" || password === "") {
    return { kind: "invalid", message: "DMC_ADMIN_USER and DMC_ADMIN_PASSWORD must both be set to create the first administrator" };
  }
  const r = await users.create({ name, roles: ["admin"], password });
  if (!r.ok) return { kind: "invalid", message: `cannot create the first administrator from DMC_ADMIN_USER: ${r.message}` };
  audit.append({ actor: "system", address: "", result: "ok", ...r.change, detail: { ...r.change.detail, source: "DMC_ADMIN_USER" } });
  return { kind: "created", name: r.user.name };
}
