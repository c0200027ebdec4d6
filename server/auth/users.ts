import type { AuditAction, JsonValue } from "../audit";
import type { Role, UserSummary } from "../protocol";
import type { Kysely, Selectable } from "kysely";
import { isUniqueViolation } from "../storage";
import type { AppSql } from "../storage";
import type { AuthTables } from "./tables";
import { rolesIn, userNameSchema, rolesSchema } from "./names";
import { checkPassword, hashPassword } from "./passwords";

/** What a change means for the audit log; the caller adds who did it and from where. */
export interface UserChange {
  action: AuditAction;
  target: string;
  detail: { [key: string]: JsonValue };
}

export type UserResult = { ok: true; user: UserSummary; change: UserChange } | { ok: false; code: UserErrorCode; message: string };
export type UserErrorCode = "invalid" | "name_taken" | "not_found" | "last_admin";

export interface UserRecord extends UserSummary {
  passwordHash: string;
}

type UserRow = Selectable<AuthTables["users"]>;

/** What UserStore needs from the sessions: ending a user's sessions inside the same transaction. */
export interface SessionRevoker {
  revokeUser(userId: number, tx?: Kysely<AuthTables>): Promise<number>;
}

const fail = (code: UserErrorCode, message: string): UserResult => ({ ok: false, code, message });

/**
 * Every change to users takes this lock (PostgreSQL; SQLite's transactions take turns anyway): "an administrator
 * must remain" spans rows, so two servers demoting the last two admins at once must not both see the other.
 */
const USERS_LOCK = "dmc:users";

/**
 * Users and their roles, on SQLite or PostgreSQL. Disabling a user, changing their roles or their password ends
 * their sessions in the same transaction, so no request runs with rights the user no longer has.
 */
export class UserStore {
  private readonly db: Kysely<AuthTables>;

  constructor(
    private readonly sql: AppSql,
    private readonly sessions: SessionRevoker,
    private readonly clock: () => number = Date.now,
  ) {
    this.db = sql.kysely<AuthTables>();
  }

  private iso(): string {
    return new Date(this.clock()).toISOString();
  }

  private async rolesOf(db: Kysely<AuthTables>, userId: number): Promise<Role[]> {
    const rows = await db.selectFrom("user_roles").select("role").where("user_id", "=", userId).execute();
    return rolesIn(rows.map((r) => r.role));
  }

  private async toRecord(db: Kysely<AuthTables>, row: UserRow): Promise<UserRecord> {
    return {
      id: row.id, name: row.name, roles: await this.rolesOf(db, row.id), disabled: row.disabled === 1,
      createdAt: row.created_at, lastLoginAt: row.last_login_at, passwordHash: row.password_hash,
    };
  }

  private async summary(db: Kysely<AuthTables>, id: number): Promise<UserSummary> {
    const rec = await this.byId(db, id);
    if (!rec) throw new Error(`user ${id} vanished`);
    const { passwordHash: _hash, ...user } = rec;
    return user;
  }

  private async byId(db: Kysely<AuthTables>, id: number): Promise<UserRecord | null> {
    const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? this.toRecord(db, row) : null;
  }

  private async byName(db: Kysely<AuthTables>, name: string): Promise<UserRecord | null> {
    const parsed = userNameSchema.safeParse(name);
    if (!parsed.success) return null;
    const row = await db.selectFrom("users").selectAll().where("name", "=", parsed.data).executeTakeFirst();
    return row ? this.toRecord(db, row) : null;
  }

  async findById(id: number): Promise<UserRecord | null> {
    return this.byId(this.db, id);
  }

  /** By name, without case. Returns null for a name that is not even valid. */
  async findByName(name: string): Promise<UserRecord | null> {
    return this.byName(this.db, name);
  }

  async list(): Promise<UserSummary[]> {
    const users = await this.db.selectFrom("users").selectAll().orderBy("name").execute();
    const roles = await this.db.selectFrom("user_roles").select(["user_id", "role"]).execute();
    return users.map((u) => {
      const have = roles.filter((r) => r.user_id === u.id).map((r) => r.role);
      return { id: u.id, name: u.name, roles: rolesIn(have), disabled: u.disabled === 1, createdAt: u.created_at, lastLoginAt: u.last_login_at };
    });
  }

  /** True when some enabled user has the admin role. */
  async hasAdmin(): Promise<boolean> {
    return (await this.admins(this.db, null)) > 0;
  }

  /** Enabled administrators, but for `except`. */
  private async admins(db: Kysely<AuthTables>, except: number | null): Promise<number> {
    const r = await db.selectFrom("users as u").innerJoin("user_roles as r", "r.user_id", "u.id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("r.role", "=", "admin").where("u.disabled", "=", 0).$if(except !== null, (b) => b.where("u.id", "<>", except!))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async create(input: { name: string; roles: string[]; password: string }): Promise<UserResult> {
    const name = userNameSchema.safeParse(input.name);
    if (!name.success) return fail("invalid", name.error.issues.map((i) => i.message).join("; "));
    const roles = rolesSchema.safeParse(input.roles);
    if (!roles.success) return fail("invalid", roles.error.issues.map((i) => i.message).join("; "));
    const problems = checkPassword(name.data, input.password);
    if (problems.length > 0) return fail("invalid", problems.join("; "));
    const taken = () => fail("name_taken", `a user named "${name.data}" already exists`);
    if (await this.findByName(name.data)) return taken();
    const hash = await hashPassword(input.password);
    try {
      return await this.sql.exclusive(this.db, USERS_LOCK, async (tx): Promise<UserResult> => {
        if (await this.byName(tx, name.data)) return taken();
        const now = this.iso();
        const { id } = await tx.insertInto("users").values({ name: name.data, password_hash: hash, created_at: now, password_changed_at: now })
          .returning("id").executeTakeFirstOrThrow();
        await writeRoles(tx, id, roles.data);
        return { ok: true, user: await this.summary(tx, id), change: { action: "user_created", target: name.data, detail: { roles: roles.data } } };
      });
    } catch (err) {
      if (isUniqueViolation(err)) return taken();
      throw err;
    }
  }

  /** Whether taking admin away from `userId` (disable or roles) would leave no enabled admin. */
  private async isLastAdmin(tx: Kysely<AuthTables>, userId: number): Promise<boolean> {
    return await this.admins(tx, userId) === 0 && (await this.rolesOf(tx, userId)).includes("admin");
  }

  async setRoles(name: string, roles: string[]): Promise<UserResult> {
    const parsed = rolesSchema.safeParse(roles);
    if (!parsed.success) return fail("invalid", parsed.error.issues.map((i) => i.message).join("; "));
    return this.sql.exclusive(this.db, USERS_LOCK, async (tx): Promise<UserResult> => {
      const user = await this.byName(tx, name);
      if (!user) return fail("not_found", `no user named "${name}"`);
      if (!parsed.data.includes("admin") && !user.disabled && await this.isLastAdmin(tx, user.id)) {
        return fail("last_admin", `"${user.name}" is the last administrator: make another admin first`);
      }
      await writeRoles(tx, user.id, parsed.data);
      const revoked = await this.sessions.revokeUser(user.id, tx);
      return { ok: true, user: await this.summary(tx, user.id),
        change: { action: "roles_changed", target: user.name, detail: { from: user.roles, to: parsed.data, sessionsEnded: revoked } } };
    });
  }

  async setDisabled(name: string, disabled: boolean): Promise<UserResult> {
    return this.sql.exclusive(this.db, USERS_LOCK, async (tx): Promise<UserResult> => {
      const user = await this.byName(tx, name);
      if (!user) return fail("not_found", `no user named "${name}"`);
      if (disabled && !user.disabled && await this.isLastAdmin(tx, user.id)) {
        return fail("last_admin", `"${user.name}" is the last administrator: make another admin first`);
      }
      await tx.updateTable("users").set({ disabled: disabled ? 1 : 0 }).where("id", "=", user.id).execute();
      const revoked = disabled ? await this.sessions.revokeUser(user.id, tx) : 0;
      return { ok: true, user: await this.summary(tx, user.id),
        change: { action: disabled ? "user_disabled" : "user_enabled", target: user.name, detail: { sessionsEnded: revoked } } };
    });
  }

  async setPassword(name: string, password: string): Promise<UserResult> {
    const user = await this.findByName(name);
    if (!user) return fail("not_found", `no user named "${name}"`);
    const problems = checkPassword(user.name, password);
    if (problems.length > 0) return fail("invalid", problems.join("; "));
    const hash = await hashPassword(password);
    return this.sql.exclusive(this.db, USERS_LOCK, async (tx): Promise<UserResult> => {
      const r = await tx.updateTable("users").set({ password_hash: hash, password_changed_at: this.iso() }).where("id", "=", user.id).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return fail("not_found", `no user named "${name}"`);
      const revoked = await this.sessions.revokeUser(user.id, tx);
      return { ok: true, user: await this.summary(tx, user.id), change: { action: "password_reset", target: user.name, detail: { sessionsEnded: revoked } } };
    });
  }

  /** After a good login. */
  async recordLogin(userId: number): Promise<void> {
    await this.db.updateTable("users").set({ last_login_at: this.iso() }).where("id", "=", userId).execute();
  }

  /** Replaces the stored hash (rehash with new parameters after a good login); sessions stay. */
  async replaceHash(userId: number, hash: string): Promise<void> {
    await this.db.updateTable("users").set({ password_hash: hash }).where("id", "=", userId).execute();
  }
}

async function writeRoles(tx: Kysely<AuthTables>, userId: number, roles: Role[]): Promise<void> {
  await tx.deleteFrom("user_roles").where("user_id", "=", userId).execute();
  if (roles.length > 0) await tx.insertInto("user_roles").values(roles.map((role) => ({ user_id: userId, role }))).execute();
}
