import type { AuditLog } from "../audit";
import type { Role } from "../protocol";
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

/**
 * The first account sees and does everything the system offers (users, the live map and flying, the Flights
 * page): the person installing it needs all of it to check it works. Roles of later users are chosen for them.
 */
export const FIRST_ADMIN_ROLES: readonly Role[] = ["admin", "pilot", "reviewer"];

const ROLE_FLAGS = FIRST_ADMIN_ROLES.map((r) => `--role ${r}`).join(" ");

/** A path as one shell word (quoted when it holds anything a shell would split or expand). */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/** The command that creates the first administrator in that data directory (the CLI's default without one). */
export function firstAdminCommand(dataDir?: string): string {
  const dirFlag = dataDir === undefined ? "" : ` --data-dir ${shellWord(dataDir)}`;
  return `npm run user --${dirFlag} add NAME ${ROLE_FLAGS}`;
}

/**
 * How to create the first administrator. With the server's data directory the command names it, so the account
 * lands in the database this server reads (not in ./data of wherever the command is typed).
 */
export function firstAdminHowTo(dataDir?: string): string {
  return "There is no administrator yet, so nobody can log in to manage users. Create one with\n"
    + `  ${firstAdminCommand(dataDir)}\n`
    + (dataDir === undefined ? "(with --data-dir DIR after `--` when the server is started with one; " : "(")
    + "it asks for the password, or reads it from stdin), or start the server once with DMC_ADMIN_USER and\n"
    + `DMC_ADMIN_PASSWORD set (then unset DMC_ADMIN_PASSWORD); that account gets the roles ${FIRST_ADMIN_ROLES.join(", ")}.`;
}

/** For the sign-in page, which anyone can read: without the server's data directory path. */
export const FIRST_ADMIN_HOW_TO = firstAdminHowTo();

/**
 * At server start: when no enabled admin exists, create one from DMC_ADMIN_USER + DMC_ADMIN_PASSWORD, or
 * say how to. The password is never logged nor put in the outcome. With an admin already there, the
 * variables are ignored (they cannot be used to take over an installed system).
 */
export async function ensureFirstAdmin(users: UserStore, env: FirstAdminEnv, audit: AuditLog, dataDir?: string): Promise<FirstAdminOutcome> {
  if (await users.hasAdmin()) return { kind: "already" };
  const name = env.DMC_ADMIN_USER?.trim() ?? "";
  const password = env.DMC_ADMIN_PASSWORD ?? "";
  if (name === "" && password === "") return { kind: "none", howTo: firstAdminHowTo(dataDir) };
  if (name === "" || password === "") {
    return { kind: "invalid", message: "DMC_ADMIN_USER and DMC_ADMIN_PASSWORD must both be set to create the first administrator" };
  }
  const r = await users.create({ name, roles: [...FIRST_ADMIN_ROLES], password });
  if (!r.ok) return { kind: "invalid", message: `cannot create the first administrator from DMC_ADMIN_USER: ${r.message}` };
  await audit.append({ actor: "system", address: "", result: "ok", ...r.change, detail: { ...r.change.detail, source: "DMC_ADMIN_USER" } });
  return { kind: "created", name: r.user.name };
}
