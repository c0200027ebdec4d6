import { beforeEach, expect, it } from "vitest";
import { verifyPassword } from "./passwords";
import { authFixture } from "../../test/support/auth/db";
import type { AuthFixture } from "../../test/support/auth/db";
import { describeOnEngines } from "../../test/support/storage/engines";

const meta = { address: "10.0.0.7", userAgent: "test" };
const PW = "a long enough phrase";

describeOnEngines("UserStore", (ctx) => {
  let f: AuthFixture;
  beforeEach(async () => { f = await authFixture(ctx); });

  it("creates users with unique case-insensitive names and several roles", async () => {
    const r = await f.users.create({ name: "  Alice ", roles: ["reviewer", "admin", "admin"], password: PW });
    expect(r).toMatchObject({ ok: true, user: { name: "alice", roles: ["admin", "reviewer"], disabled: false, createdAt: "2025-06-01T08:00:00.000Z", lastLoginAt: null },
      change: { action: "user_created", target: "alice", detail: { roles: ["admin", "reviewer"] } } });
    expect(JSON.stringify(r)).not.toContain(PW);
    expect(await f.users.create({ name: "ALICE", roles: ["pilot"], password: PW })).toMatchObject({ ok: false, code: "name_taken" });
    expect((await f.users.findByName("ALICE"))?.name).toBe("alice");
    expect(await verifyPassword(PW, (await f.users.findByName("alice"))?.passwordHash ?? "")).toBe(true);
    expect((await f.users.list()).map((u) => u.name)).toEqual(["alice"]);
    expect(await f.users.hasAdmin()).toBe(true);
  });

  it("says what is wrong with a name, roles or password", async () => {
    expect(await f.users.create({ name: "bad name", roles: ["pilot"], password: PW })).toMatchObject({ ok: false, code: "invalid", message: /only letters a-z/ });
    expect(await f.users.create({ name: "x".repeat(65), roles: ["pilot"], password: PW })).toMatchObject({ ok: false, message: /longer than 64/ });
    expect(await f.users.create({ name: "bob", roles: [], password: PW })).toMatchObject({ ok: false, message: /at least one role/ });
    expect(await f.users.create({ name: "bob", roles: ["god"], password: PW })).toMatchObject({ ok: false, message: /role must be one of admin, pilot/ });
    expect(await f.users.create({ name: "bob", roles: ["pilot"], password: "short" })).toMatchObject({ ok: false, message: /at least 12 characters/ });
    expect(await f.users.list()).toEqual([]);
  });

  it("ends a user's sessions when disabled, when roles change, and on a new password", async () => {
    await f.users.create({ name: "admin", roles: ["admin"], password: PW });
    const r = await f.users.create({ name: "bob", roles: ["pilot"], password: PW });
    if (!r.ok) throw new Error(r.message);
    const s1 = await f.sessions.create(r.user.id, meta);
    expect(await f.users.setRoles("bob", ["observer"])).toMatchObject({ ok: true, user: { roles: ["observer"] },
      change: { action: "roles_changed", target: "bob", detail: { from: ["pilot"], to: ["observer"], sessionsEnded: 1 } } });
    expect((await f.sessions.validate(s1.token)).ok).toBe(false);
    const s2 = await f.sessions.create(r.user.id, meta);
    expect(await f.users.setDisabled("bob", true)).toMatchObject({ ok: true, user: { disabled: true }, change: { action: "user_disabled", detail: { sessionsEnded: 1 } } });
    expect((await f.sessions.validate(s2.token)).ok).toBe(false);
    expect(await f.users.setDisabled("bob", false)).toMatchObject({ ok: true, change: { action: "user_enabled" } });
    const s3 = await f.sessions.create(r.user.id, meta);
    expect(await f.users.setPassword("bob", "another long phrase")).toMatchObject({ ok: true, change: { action: "password_reset", detail: { sessionsEnded: 1 } } });
    expect((await f.sessions.validate(s3.token)).ok).toBe(false);
    expect(await verifyPassword("another long phrase", (await f.users.findByName("bob"))?.passwordHash ?? "")).toBe(true);
    expect(await f.users.setRoles("nobody", ["pilot"])).toMatchObject({ ok: false, code: "not_found" });
  });

  it("keeps at least one enabled administrator", async () => {
    await f.users.create({ name: "root", roles: ["admin"], password: PW });
    expect(await f.users.setDisabled("root", true)).toMatchObject({ ok: false, code: "last_admin" });
    expect(await f.users.setRoles("root", ["pilot"])).toMatchObject({ ok: false, code: "last_admin" });
    await f.users.create({ name: "root2", roles: ["admin", "pilot"], password: PW });
    expect((await f.users.setDisabled("root", true)).ok).toBe(true);
    expect(await f.users.hasAdmin()).toBe(true);
    expect(await f.users.setRoles("root2", ["pilot"])).toMatchObject({ ok: false, code: "last_admin" });
  });

  it("keeps one administrator when two are demoted at once, as two servers would", async () => {
    await f.users.create({ name: "ann", roles: ["admin"], password: PW });
    await f.users.create({ name: "bob", roles: ["admin"], password: PW });
    await f.users.create({ name: "cat", roles: ["admin"], password: PW });
    // On PostgreSQL these run on separate connections at once; the users lock makes them take turns.
    const results = await Promise.all([
      f.users.setRoles("ann", ["pilot"]), f.users.setDisabled("bob", true), f.users.setRoles("cat", ["reviewer"]),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(["last_admin"]);
    expect(await f.users.hasAdmin()).toBe(true);
  });
});
