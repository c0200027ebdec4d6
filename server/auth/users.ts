import type { AuditAction, JsonValue } from "../audit";
import type { Role, UserSummary } from "../protocol";
import { isRole, ROLES } from "../protocol";
import type { Db } from "../storage";
import { userNameSchema, rolesSchema } from "./names";
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

interface UserRow {
  id: number;
  name: string;
  password_hash: string;
  disabled: number;
  created_at: string;
  last_login_at: string | null;
}

/** What UserStore needs from the sessions: ending a user's sessions inside the same transaction. */
export interface SessionRevoker {
  revokeUser(userId: number): number;
}

const fail = (code: UserErrorCode, message: string): UserResult => ({ ok: false, code, message });

/**
 * Users and their roles. Disabling a user, changing their roles or their password ends their sessions in the
 * same transaction, so no request runs with rights the user no longer has.
 */
export class UserStore {
  constructor(
    private readonly db: Db,
    private readonly sessions: SessionRevoker,
    private readonly clock: () => number = Date.now,
  ) {}

  private iso(): string {
    return new Date(this.clock()).toISOString();
  }

  private rolesOf(userId: number): Role[] {
    const rows = this.db.prepare<[number], { role: string }>("SELECT role FROM user_roles WHERE user_id = ?").all(userId);
    const have = rows.map((r) => r.role).filter(isRole);
    return ROLES.filter((r) => have.includes(r));
  }

  private toRecord(row: UserRow): UserRecord {
    return {
      id: row.id, name: row.name, roles: this.rolesOf(row.id), disabled: row.disabled === 1,
      createdAt: row.created_at, lastLoginAt: row.last_login_at, passwordHash: row.password_hash,
    };
  }

  private summary(id: number): UserSummary {
    const rec = this.findById(id);
    if (!rec) throw new Error(`user ${id} vanished`);
    const { passwordHash: _hash, ...user } = rec;
    return user;
  }

  findById(id: number): UserRecord | null {
    const row = this.db.prepare<[number], UserRow>("SELECT * FROM users WHERE id = ?").get(id);
    return row ? this.toRecord(row) : null;
  }

  /** By name, without case. Returns null for a name that is not even valid. */
  findByName(name: string): UserRecord | null {
    const parsed = userNameSchema.safeParse(name);
    if (!parsed.success) return null;
    const row = this.db.prepare<[string], UserRow>("SELECT * FROM users WHERE name = ?").get(parsed.data);
    return row ? this.toRecord(row) : null;
  }

  list(): UserSummary[] {
    return this.db.prepare<[], { id: number }>("SELECT id FROM users ORDER BY name").all().map((r) => this.summary(r.id));
  }

  /** True when some enabled user has the admin role. */
  hasAdmin(): boolean {
    return this.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM users u JOIN user_roles r ON r.user_id = u.id
      WHERE r.role = 'admin' AND u.disabled = 0`).get()?.n !== 0;
  }

  async create(input: { name: string; roles: string[]; password: string }): Promise<UserResult> {
    const name = userNameSchema.safeParse(input.name);
    if (!name.success) return fail("invalid", name.error.issues.map((i) => i.message).join("; "));
    const roles = rolesSchema.safeParse(input.roles);
    if (!roles.success) return fail("invalid", roles.error.issues.map((i) => i.message).join("; "));
    const problems = checkPassword(name.data, input.password);
    if (problems.length > 0) return fail("invalid", problems.join("; "));
    if (this.findByName(name.data)) return fail("name_taken", `a user named "${name.data}" already exists`);
    const hash = await hashPassword(input.password);
    return this.db.transaction((): UserResult => {
      // Checked again inside the write: another process may have taken the name while we hashed.
      if (this.findByName(name.data)) return fail("name_taken", `a user named "${name.data}" already exists`);
      const now = this.iso();
      const id = Number(this.db.prepare<[string, string, string, string]>(
        "INSERT INTO users (name, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?)",
      ).run(name.data, hash, now, now).lastInsertRowid);
      this.writeRoles(id, roles.data);
      return { ok: true, user: this.summary(id), change: { action: "user_created", target: name.data, detail: { roles: roles.data } } };
    }).immediate();
  }

  private writeRoles(userId: number, roles: Role[]): void {
    this.db.prepare<[number]>("DELETE FROM user_roles WHERE user_id = ?").run(userId);
    const insert = this.db.prepare<[number, string]>("INSERT INTO user_roles (user_id, role) VALUES (?, ?)");
    for (const role of roles) insert.run(userId, role);
  }

  /** Whether taking admin away from `userId` (disable or roles) would leave no enabled admin. */
  private isLastAdmin(userId: number): boolean {
    return this.db.prepare<[number], { n: number }>(`SELECT count(*) AS n FROM users u JOIN user_roles r ON r.user_id = u.id
      WHERE r.role = 'admin' AND u.disabled = 0 AND u.id <> ?`).get(userId)?.n === 0
      && this.rolesOf(userId).includes("admin");
  }

  setRoles(name: string, roles: string[]): UserResult {
    const parsed = rolesSchema.safeParse(roles);
    if (!parsed.success) return fail("invalid", parsed.error.issues.map((i) => i.message).join("; "));
    return this.db.transaction((): UserResult => {
      const user = this.findByName(name);
      if (!user) return fail("not_found", `no user named "${name}"`);
      if (!parsed.data.includes("admin") && !user.disabled && this.isLastAdmin(user.id)) {
        return fail("last_admin", `"${user.name}" is the last administrator: make another admin first`);
      }
      this.writeRoles(user.id, parsed.data);
      const revoked = this.sessions.revokeUser(user.id);
      return { ok: true, user: this.summary(user.id),
        change: { action: "roles_changed", target: user.name, detail: { from: user.roles, to: parsed.data, sessionsEnded: revoked } } };
    }).immediate();
  }

  setDisabled(name: string, disabled: boolean): UserResult {
    return this.db.transaction((): UserResult => {
      const user = this.findByName(name);
      if (!user) return fail("not_found", `no user named "${name}"`);
      if (disabled && !user.disabled && this.isLastAdmin(user.id)) {
        return fail("last_admin", `"${user.name}" is the last administrator: make another admin first`);
      }
      this.db.prepare<[number, number]>("UPDATE users SET disabled = ? WHERE id = ?").run(disabled ? 1 : 0, user.id);
      const revoked = disabled ? this.sessions.revokeUser(user.id) : 0;
      return { ok: true, user: this.summary(user.id),
        change: { action: disabled ? "user_disabled" : "user_enabled", target: user.name, detail: { sessionsEnded: revoked } } };
    }).immediate();
  }

  async setPassword(name: string, password: string): Promise<UserResult> {
    const user = this.findByName(name);
    if (!user) return fail("not_found", `no user named "${name}"`);
    const problems = checkPassword(user.name, password);
    if (problems.length > 0) return fail("invalid", problems.join("; "));
    const hash = await hashPassword(password);
    return this.db.transaction((): UserResult => {
      const changed = this.db.prepare<[string, string, number]>("UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?")
        .run(hash, this.iso(), user.id).changes;
      if (changed === 0) return fail("not_found", `no user named "${name}"`);
      const revoked = this.sessions.revokeUser(user.id);
      return { ok: true, user: this.summary(user.id), change: { action: "password_reset", target: user.name, detail: { sessionsEnded: revoked } } };
    }).immediate();
  }

  /** After a good login. */
  recordLogin(userId: number): void {
    this.db.prepare<[string, number]>("UPDATE users SET last_login_at = ? WHERE id = ?").run(this.iso(), userId);
  }

  /** Replaces the stored hash (rehash with new parameters after a good login); sessions stay. */
  replaceHash(userId: number, hash: string): void {
    this.db.prepare<[string, number]>("UPDATE users SET password_hash = ? WHERE id = ?").run(hash, userId);
  }
}
