import { beforeEach, expect, it } from "vitest";
import { authFixture } from "../../test/support/auth/db";
import type { AuthFixture } from "../../test/support/auth/db";
import { describeOnEngines } from "../../test/support/storage/engines";
import { tokenHash } from "./sessions";

const meta = { address: "10.0.0.7", userAgent: "test" };
const MIN = 60_000;

describeOnEngines("SessionStore", (ctx) => {
  let f: AuthFixture;
  let userId: number;

  beforeEach(async () => {
    f = await authFixture(ctx, { sessionLimits: { idleMs: 30 * MIN, absoluteMs: 12 * 60 * MIN } });
    const r = await f.users.create({ name: "Pilot.One", roles: ["pilot", "observer"], password: "a long enough phrase" });
    if (!r.ok) throw new Error(r.message);
    userId = r.user.id;
  });

  it("gives a random base64url token and stores only its SHA-256", async () => {
    const a = await f.sessions.create(userId, meta);
    const b = await f.sessions.create(userId, meta);
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    const stored = await f.rows("SELECT token_hash FROM sessions ORDER BY id");
    expect(stored).toEqual([{ token_hash: tokenHash(a.token) }, { token_hash: tokenHash(b.token) }]);
    expect(JSON.stringify(await f.rows("SELECT * FROM sessions"))).not.toContain(a.token);
    expect(await f.sessions.validate(a.token)).toMatchObject({ ok: true, session: { userId, name: "pilot.one", roles: ["pilot", "observer"] } });
  });

  it("ends a session left idle, and keeps one in use alive, touching last_seen at most once a minute", async () => {
    const { token } = await f.sessions.create(userId, meta);
    const t0 = f.clock.now;
    expect((await f.sessions.validate(token, t0 + 29 * MIN)).ok).toBe(true);
    expect((await f.sessions.validate(token, t0 + 58 * MIN)).ok).toBe(true);
    const seen = async () => (await f.rows("SELECT last_seen_at AS t FROM sessions"))[0];
    expect((await f.sessions.validate(token, t0 + 58 * MIN + 30_000)).ok).toBe(true);
    expect(await seen()).toEqual({ t: t0 + 58 * MIN });
    expect((await f.sessions.validate(token, t0 + 88 * MIN - 1)).ok).toBe(true);
    expect(await f.sessions.validate(token, t0 + 118 * MIN)).toEqual({ ok: false, reason: "idle" });
    // Ended for good, even if asked about an earlier time.
    expect(await f.sessions.validate(token, t0)).toEqual({ ok: false, reason: "unknown" });
  });

  it("ends a session at its absolute expiry however busy", async () => {
    const { token, expiresAt } = await f.sessions.create(userId, meta);
    expect(expiresAt).toBe(f.clock.now + 12 * 60 * MIN);
    for (let t = f.clock.now; t < expiresAt; t += 10 * MIN) expect((await f.sessions.validate(token, t)).ok).toBe(true);
    expect(await f.sessions.validate(token, expiresAt)).toEqual({ ok: false, reason: "expired" });
  });

  it("revokes one session, a user's sessions, and purges expired ones", async () => {
    const a = await f.sessions.create(userId, meta);
    const b = await f.sessions.create(userId, meta);
    expect(await f.sessions.revoke(a.token)).toEqual({ userId, name: "pilot.one" });
    expect(await f.sessions.revoke(a.token)).toBeNull();
    expect((await f.sessions.validate(a.token)).ok).toBe(false);
    expect((await f.sessions.validate(b.token)).ok).toBe(true);
    expect(await f.sessions.revokeUser(userId)).toBe(1);
    expect((await f.sessions.validate(b.token)).ok).toBe(false);
    await f.sessions.create(userId, meta);
    f.clock.now += 31 * MIN;
    const live = await f.sessions.create(userId, meta);
    expect(await f.sessions.purgeExpired()).toBe(1);
    expect(await f.sessions.countForUser(userId)).toBe(1);
    expect((await f.sessions.validate(live.token)).ok).toBe(true);
  });

  it("refuses garbage and unknown tokens without a lookup error", async () => {
    expect(await f.sessions.validate("")).toEqual({ ok: false, reason: "unknown" });
    expect(await f.sessions.validate("x".repeat(43))).toEqual({ ok: false, reason: "unknown" });
    expect(await f.sessions.validate("'; DROP TABLE users; --")).toEqual({ ok: false, reason: "unknown" });
  });
});
