import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { authFixture } from "../../test/support/auth/db";
import { tokenHash } from "./sessions";

const meta = { address: "10.0.0.7", userAgent: "test" };
const MIN = 60_000;

describe("SessionStore", () => {
  let f: ReturnType<typeof authFixture>;
  let userId: number;

  beforeEach(async () => {
    f = authFixture({ sessionLimits: { idleMs: 30 * MIN, absoluteMs: 12 * 60 * MIN } });
    const r = await f.users.create({ name: "Pilot.One", roles: ["pilot", "observer"], password: "a long enough phrase" });
    if (!r.ok) throw new Error(r.message);
    userId = r.user.id;
  });
  afterEach(() => f.db.close());

  it("gives a random base64url token and stores only its SHA-256", () => {
    const a = f.sessions.create(userId, meta);
    const b = f.sessions.create(userId, meta);
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    const stored = f.db.prepare("SELECT token_hash FROM sessions ORDER BY id").all();
    expect(stored).toEqual([{ token_hash: tokenHash(a.token) }, { token_hash: tokenHash(b.token) }]);
    expect(JSON.stringify(f.db.prepare("SELECT * FROM sessions").all())).not.toContain(a.token);
    expect(f.sessions.validate(a.token)).toMatchObject({ ok: true, session: { userId, name: "pilot.one", roles: ["pilot", "observer"] } });
  });

  it("ends a session left idle, and keeps one in use alive, touching last_seen at most once a minute", () => {
    const { token } = f.sessions.create(userId, meta);
    const t0 = f.clock.now;
    expect(f.sessions.validate(token, t0 + 29 * MIN).ok).toBe(true);
    expect(f.sessions.validate(token, t0 + 58 * MIN).ok).toBe(true);
    const seen = () => f.db.prepare("SELECT last_seen_at AS t FROM sessions").get();
    expect(f.sessions.validate(token, t0 + 58 * MIN + 30_000).ok).toBe(true);
    expect(seen()).toEqual({ t: t0 + 58 * MIN });
    expect(f.sessions.validate(token, t0 + 88 * MIN - 1).ok).toBe(true);
    expect(f.sessions.validate(token, t0 + 118 * MIN)).toEqual({ ok: false, reason: "idle" });
    // Ended for good, even if asked about an earlier time.
    expect(f.sessions.validate(token, t0)).toEqual({ ok: false, reason: "unknown" });
  });

  it("ends a session at its absolute expiry however busy", () => {
    const { token, expiresAt } = f.sessions.create(userId, meta);
    expect(expiresAt).toBe(f.clock.now + 12 * 60 * MIN);
    for (let t = f.clock.now; t < expiresAt; t += 10 * MIN) expect(f.sessions.validate(token, t).ok).toBe(true);
    expect(f.sessions.validate(token, expiresAt)).toEqual({ ok: false, reason: "expired" });
  });

  it("revokes one session, a user's sessions, and purges expired ones", () => {
    const a = f.sessions.create(userId, meta);
    const b = f.sessions.create(userId, meta);
    expect(f.sessions.revoke(a.token)).toEqual({ userId, name: "pilot.one" });
    expect(f.sessions.revoke(a.token)).toBeNull();
    expect(f.sessions.validate(a.token).ok).toBe(false);
    expect(f.sessions.validate(b.token).ok).toBe(true);
    expect(f.sessions.revokeUser(userId)).toBe(1);
    expect(f.sessions.validate(b.token).ok).toBe(false);
    f.sessions.create(userId, meta);
    f.clock.now += 31 * MIN;
    const live = f.sessions.create(userId, meta);
    expect(f.sessions.purgeExpired()).toBe(1);
    expect(f.sessions.countForUser(userId)).toBe(1);
    expect(f.sessions.validate(live.token).ok).toBe(true);
  });

  it("refuses garbage and unknown tokens without a lookup error", () => {
    expect(f.sessions.validate("")).toEqual({ ok: false, reason: "unknown" });
    expect(f.sessions.validate("x".repeat(43))).toEqual({ ok: false, reason: "unknown" });
    expect(f.sessions.validate("'; DROP TABLE users; --")).toEqual({ ok: false, reason: "unknown" });
  });
});
