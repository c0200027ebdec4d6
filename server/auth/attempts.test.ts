import { beforeEach, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS } from "./attempts";
import { authFixture } from "../../test/support/auth/db";
import type { AuthFixture } from "../../test/support/auth/db";
import { describeOnEngines } from "../../test/support/storage/engines";

const MIN = 60_000;

describeOnEngines("LoginAttempts", (ctx) => {
  let f: AuthFixture;
  beforeEach(async () => {
    f = await authFixture(ctx, { rateLimits: DEFAULT_RATE_LIMITS });
  });

  it("counts tries still being verified: the sixth reservation is refused before any answer", async () => {
    const t = f.clock.now;
    // Six at once (several connections on PostgreSQL): five get through, the sixth sees them pending.
    const tries = await Promise.all(Array.from({ length: 6 }, () => f.attempts.reserve("alice", "10.0.0.1", t)));
    expect(tries.filter((r) => r.ok)).toHaveLength(5);
    expect(tries.filter((r) => !r.ok)).toEqual([{ ok: false, retryAfterMs: 1000, by: "name_address" }]);
    // A try that never got its answer (a crash mid-verification) still counts, until housekeeping.
    expect(await f.attempts.reserve("alice", "10.0.0.1", t + 999)).toMatchObject({ ok: false, retryAfterMs: 1 });
    expect(await f.attempts.reserve("alice", "10.0.0.2", t)).toMatchObject({ ok: true, slowdownMs: 1000 });
  });

  it("starts a failure's wait when its answer is given, and forgets a proven password's try", async () => {
    const t = f.clock.now;
    const r = await Promise.all(Array.from({ length: 5 }, () => f.attempts.reserve("alice", "10.0.0.1", t)));
    for (const x of r.slice(0, 4)) if (x.ok) await f.attempts.fail(x.id, t + 100);
    const last = r[4];
    if (!last?.ok) throw new Error("not reserved");
    await f.attempts.release(last.id);
    expect(await f.attempts.reserve("alice", "10.0.0.1", t + 100)).toMatchObject({ ok: true, slowdownMs: 0 });
    expect(await f.attempts.reserve("alice", "10.0.0.1", t + 100)).toMatchObject({ ok: false, retryAfterMs: 1000 });
  });

  it("a good login clears its pair's failures but not the address's failures on other names", async () => {
    const t = f.clock.now;
    for (let i = 0; i < 19; i++) {
      const r = await f.attempts.reserve(i < 5 ? "alice" : `user${i}`, "10.0.0.1", t);
      if (r.ok) await f.attempts.fail(r.id, t);
    }
    const good = await f.attempts.reserve("bob", "10.0.0.1", t);
    if (!good.ok) throw new Error("not reserved");
    await f.attempts.succeed(good.id, "bob", "10.0.0.1");
    const alice = await f.attempts.reserve("alice", "10.0.0.2", t);
    if (!alice.ok) throw new Error("not reserved");
    await f.attempts.succeed(alice.id, "alice", "10.0.0.2");
    // 14 failures on other names stay against 10.0.0.1; alice's 5 there too (her good login was elsewhere).
    expect(await f.attempts.reserve("alice", "10.0.0.1", t)).toMatchObject({ ok: false, by: "name_address" });
    expect(await f.attempts.reserve("carol", "10.0.0.1", t)).toMatchObject({ ok: true });
    expect(await f.attempts.reserve("dave", "10.0.0.1", t)).toMatchObject({ ok: false, by: "address", retryAfterMs: 15 * MIN });
  });

  it("housekeeping forgets audited refusal counts and keeps the unaudited ones", async () => {
    const t = f.clock.now;
    expect(await f.attempts.noteRefusal("alice", "10.0.0.1", "name_address", t)).toMatchObject({ count: 1 });
    expect(await f.attempts.noteRefusal("mallory", "10.0.0.1", "address", t + 1)).toMatchObject({ name: "*", count: 1 });
    expect(await f.attempts.noteRefusal("eve", "10.0.0.1", "address", t + 2)).toBeNull();
    await f.attempts.purge(t + MIN);
    expect(await f.rows("SELECT name FROM login_refusals")).toEqual([{ name: "*" }]);
    expect(await f.attempts.dueRefusals(t + MIN)).toEqual([{ name: "*", address: "10.0.0.1", count: 1, since: t + 2, until: t + 2 }]);
    await f.attempts.purge(t + 2 * MIN);
    expect((await f.rows("SELECT count(*) AS n FROM login_refusals"))[0]).toEqual({ n: 0 });
  });
});
