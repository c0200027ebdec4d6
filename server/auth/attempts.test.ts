import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS } from "./attempts";
import { authFixture } from "../../test/support/auth/db";

const MIN = 60_000;

describe("LoginAttempts", () => {
  let f: ReturnType<typeof authFixture>;
  beforeEach(() => {
    f = authFixture({ rateLimits: DEFAULT_RATE_LIMITS });
  });
  afterEach(() => f.db.close());

  it("counts tries still being verified: the sixth reservation is refused before any answer", () => {
    const t = f.clock.now;
    const ids = Array.from({ length: 5 }, () => f.attempts.reserve("alice", "10.0.0.1", t));
    expect(ids.every((r) => r.ok)).toBe(true);
    expect(f.attempts.reserve("alice", "10.0.0.1", t)).toEqual({ ok: false, retryAfterMs: 1000, by: "name_address" });
    // A try that never got its answer (a crash mid-verification) still counts, until housekeeping.
    expect(f.attempts.reserve("alice", "10.0.0.1", t + 999)).toMatchObject({ ok: false, retryAfterMs: 1 });
    expect(f.attempts.reserve("alice", "10.0.0.2", t)).toMatchObject({ ok: true, slowdownMs: 1000 });
  });

  it("starts a failure's wait when its answer is given, and forgets a proven password's try", () => {
    const t = f.clock.now;
    const r = Array.from({ length: 5 }, () => f.attempts.reserve("alice", "10.0.0.1", t));
    for (const x of r.slice(0, 4)) if (x.ok) f.attempts.fail(x.id, t + 100);
    const last = r[4];
    if (!last?.ok) throw new Error("not reserved");
    f.attempts.release(last.id);
    expect(f.attempts.reserve("alice", "10.0.0.1", t + 100)).toMatchObject({ ok: true, slowdownMs: 0 });
    expect(f.attempts.reserve("alice", "10.0.0.1", t + 100)).toMatchObject({ ok: false, retryAfterMs: 1000 });
  });

  it("a good login clears its pair's failures but not the address's failures on other names", () => {
    const t = f.clock.now;
    for (let i = 0; i < 19; i++) {
      const r = f.attempts.reserve(i < 5 ? "alice" : `user${i}`, "10.0.0.1", t);
      if (r.ok) f.attempts.fail(r.id, t);
    }
    const good = f.attempts.reserve("bob", "10.0.0.1", t);
    if (!good.ok) throw new Error("not reserved");
    f.attempts.succeed(good.id, "bob", "10.0.0.1");
    const alice = f.attempts.reserve("alice", "10.0.0.2", t);
    if (!alice.ok) throw new Error("not reserved");
    f.attempts.succeed(alice.id, "alice", "10.0.0.2");
    // 14 failures on other names stay against 10.0.0.1; alice's 5 there too (her good login was elsewhere).
    expect(f.attempts.reserve("alice", "10.0.0.1", t)).toMatchObject({ ok: false, by: "name_address" });
    expect(f.attempts.reserve("carol", "10.0.0.1", t)).toMatchObject({ ok: true });
    expect(f.attempts.reserve("dave", "10.0.0.1", t)).toMatchObject({ ok: false, by: "address", retryAfterMs: 15 * MIN });
  });

  it("housekeeping forgets audited refusal counts and keeps the unaudited ones", () => {
    const t = f.clock.now;
    expect(f.attempts.noteRefusal("alice", "10.0.0.1", "name_address", t)).toMatchObject({ count: 1 });
    expect(f.attempts.noteRefusal("mallory", "10.0.0.1", "address", t + 1)).toMatchObject({ name: "*", count: 1 });
    expect(f.attempts.noteRefusal("eve", "10.0.0.1", "address", t + 2)).toBeNull();
    f.attempts.purge(t + MIN);
    expect(f.db.prepare("SELECT name FROM login_refusals").all()).toEqual([{ name: "*" }]);
    expect(f.attempts.dueRefusals(t + MIN)).toEqual([{ name: "*", address: "10.0.0.1", count: 1, since: t + 2, until: t + 2 }]);
    f.attempts.purge(t + 2 * MIN);
    expect(f.db.prepare("SELECT count(*) AS n FROM login_refusals").get()).toEqual({ n: 0 });
  });
});
