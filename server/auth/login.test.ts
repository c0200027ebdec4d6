import { beforeEach, expect, it } from "vitest";
import { LoginService } from "./login";
import { verifyPassword } from "./passwords";
import { authFixture } from "../../test/support/auth/db";
import type { AuthFixture } from "../../test/support/auth/db";
import { describeOnEngines } from "../../test/support/storage/engines";

const PW = "a long enough phrase";
const from = (address: string) => ({ address, userAgent: "test" });
const MIN = 60_000;
const HOUR = 60 * MIN;

describeOnEngines("LoginService", (ctx) => {
  let f: AuthFixture;
  let login: LoginService;
  let verified: number;
  let slept: number[];

  beforeEach(async () => {
    f = await authFixture(ctx, { rateLimits: { windowMs: 15 * MIN, perName: 5, perAddress: 20 } });
    verified = 0;
    slept = [];
    login = new LoginService({
      ...f,
      clock: f.now,
      sleep: async (ms) => { slept.push(ms); },
      verify: (password, encoded) => { verified++; return verifyPassword(password, encoded); },
    });
    await f.users.create({ name: "alice", roles: ["pilot"], password: PW });
  });

  const actions = async () => (await f.audit.list(100)).reverse().map((e) => `${e.action}:${e.target}:${e.result}`);

  it("logs in with the right password, opens a session and audits it", async () => {
    const r = await login.login("Alice", PW, from("10.0.0.1"));
    if (!r.ok) throw new Error(r.code);
    expect(r.user).toMatchObject({ name: "alice", roles: ["pilot"], lastLoginAt: "2025-06-01T08:00:00.000Z" });
    expect(r.user).not.toHaveProperty("passwordHash");
    expect(await f.sessions.validate(r.session.token)).toMatchObject({ ok: true, session: { name: "alice" } });
    expect(await login.logout(r.session.token, from("10.0.0.1"))).toBe(true);
    expect((await f.sessions.validate(r.session.token)).ok).toBe(false);
    expect(await login.logout(r.session.token, from("10.0.0.1"))).toBe(false);
    expect(await actions()).toEqual(["login:alice:ok", "logout:alice:ok"]);
    expect((await f.audit.list(1))[0]).toMatchObject({ actor: "alice", address: "10.0.0.1" });
  });

  it("answers an unknown user and a wrong password alike, never storing the password", async () => {
    const unknown = await login.login("mallory", "whatever it is", from("10.0.0.2"));
    const wrong = await login.login("alice", "whatever it is", from("10.0.0.2"));
    expect(unknown).toEqual({ ok: false, code: "bad_credentials" });
    expect(wrong).toEqual({ ok: false, code: "bad_credentials" });
    expect(await actions()).toEqual(["login_failed:mallory:bad_credentials", "login_failed:alice:bad_credentials"]);
    const everything = JSON.stringify([await f.rows("SELECT * FROM audit_log"), await f.rows("SELECT * FROM login_attempts")]);
    expect(everything).not.toContain("whatever it is");
  });

  it("takes about as long for an unknown user as for a wrong password", async () => {
    const time = async (name: string) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await login.login(name, "whatever it is", from(`10.0.1.${name.length}${i}`));
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    await time("warmup");
    const unknown = await time("nobody");
    const known = await time("alice");
    // Without the dummy verification an unknown name would answer in well under a tenth of the time.
    expect(unknown / known).toBeGreaterThan(0.3);
    expect(unknown / known).toBeLessThan(3);
  });

  it("tells a disabled user so only when the password is right", async () => {
    await f.users.create({ name: "root", roles: ["admin"], password: PW });
    await f.users.setDisabled("alice", true);
    expect(await login.login("alice", "not the password", from("10.0.0.3"))).toEqual({ ok: false, code: "bad_credentials" });
    expect(await login.login("alice", PW, from("10.0.0.3"))).toEqual({ ok: false, code: "disabled" });
  });

  it("backs off one name from one address, doubling each wait up to 15 min, until a good login from there", async () => {
    const wrong = (i: number) => login.login("alice", `wrong password ${i}`, from("10.0.2.1"));
    for (let i = 0; i < 5; i++) expect(await wrong(i)).toMatchObject({ code: "bad_credentials" });
    const waits: number[] = [];
    for (let i = 5; i < 18; i++) {
      const r = await wrong(i);
      if (r.ok || r.code !== "rate_limited") throw new Error(`try ${i} was not throttled: ${JSON.stringify(r)}`);
      waits.push(r.retryAfterMs ?? 0);
      f.clock.now += (r.retryAfterMs ?? 0) - 1;
      expect(await wrong(i)).toMatchObject({ code: "rate_limited", retryAfterMs: 1 });
      f.clock.now += 1;
      expect(await wrong(i)).toMatchObject({ code: "bad_credentials" });
    }
    expect(waits.map((ms) => ms / 1000)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
    expect(verified).toBe(18);
    f.clock.now += 15 * MIN;
    expect((await login.login("ALICE", PW, from("10.0.2.1"))).ok).toBe(true);
    // The good login cleared this address's failures on the name.
    expect(await wrong(99)).toMatchObject({ code: "bad_credentials" });
    expect((await login.login("alice", PW, from("10.0.2.1"))).ok).toBe(true);
  });

  it("lets the right password in from an address without failures while others hammer the name", async () => {
    for (let i = 0; i < 25; i++) await login.login("alice", `attacker guess ${i}`, from("203.0.113.1"));
    expect(await login.login("alice", PW, from("203.0.113.1"))).toMatchObject({ ok: false, code: "rate_limited" });
    // A second attacking address gets one guess, then waits between guesses: the name is under attack.
    expect(await login.login("alice", "another guess here", from("203.0.113.2"))).toMatchObject({ code: "bad_credentials" });
    expect(await login.login("alice", "and one more guess", from("203.0.113.2"))).toEqual({ ok: false, code: "rate_limited", retryAfterMs: 1000 });
    slept.length = 0;
    const owner = await login.login("alice", PW, from("10.0.9.9"));
    expect(owner.ok).toBe(true);
    // Slowed down, not locked out.
    expect(slept).toEqual([1000]);
    expect(await login.login("alice", PW, from("203.0.113.1"))).toMatchObject({ ok: false, code: "rate_limited" });
  });

  it("verifies at most the limit of 100 concurrent guesses: tries being hashed count", async () => {
    const guesses = await Promise.all(Array.from({ length: 100 }, (_, i) => login.login("alice", `concurrent guess ${i}`, from("198.51.100.9"))));
    expect(verified).toBe(5);
    expect(guesses.filter((r) => !r.ok && r.code === "bad_credentials")).toHaveLength(5);
    expect(guesses.filter((r) => !r.ok && r.code === "rate_limited")).toHaveLength(95);
    // Across names, the address's own limit holds the same way.
    verified = 0;
    const spread = await Promise.all(Array.from({ length: 100 }, (_, i) => login.login(`user${i}`, "a spread out guess", from("198.51.100.10"))));
    expect(verified).toBe(20);
    expect(spread.filter((r) => !r.ok && r.code === "rate_limited")).toHaveLength(80);
  });

  it("audits refused tries as one entry a minute per name and address, with their count", async () => {
    const throttled = async () => (await f.audit.list(1000)).filter((e) => e.result === "rate_limited")
      .map((e) => ({ minute: e.time.slice(0, 16), target: e.target, address: e.address, ...JSON.parse(e.detail) as { count: number; by: string } }));
    // One address trying many names: counted under the address, whatever names it types.
    for (let i = 0; i < 20; i++) await login.login(`user${i}`, "some wrong password", from("192.0.2.66"));
    const t0 = f.clock.now;
    for (let k = 1; k <= 600; k++) {
      f.clock.now = t0 + 300 * k;
      expect(await login.login(`guess${k}`, "some wrong password", from("192.0.2.66"))).toMatchObject({ code: "rate_limited" });
    }
    // Each minute's count is written by the first login of the next minute; the last by housekeeping.
    expect((await throttled()).map((e) => e.count).reverse()).toEqual([1, 198, 200, 200]);
    f.clock.now = t0 + 4 * MIN;
    expect(await login.auditRefusals()).toBe(1);
    const byAddress = await throttled();
    expect(byAddress.map((e) => e.count).reduce((a, b) => a + b)).toBe(600);
    expect(new Set(byAddress.map((e) => e.minute)).size).toBe(5);
    expect(byAddress.every((e) => e.target === "*" && e.address === "192.0.2.66" && e.by === "address")).toBe(true);
    // One name from one address: the first refusal at once, the rest of the minute when it has ended.
    for (let i = 0; i < 5; i++) await login.login("alice", `wrong password ${i}`, from("198.51.100.7"));
    const t1 = f.clock.now;
    for (let k = 0; k < 200; k++) {
      f.clock.now = t1 + 4 * k;
      expect(await login.login("alice", `hammer ${k}`, from("198.51.100.7"))).toMatchObject({ code: "rate_limited" });
    }
    expect((await throttled()).filter((e) => e.target === "alice").map((e) => e.count)).toEqual([1]);
    f.clock.now = t1 + MIN;
    expect(await login.auditRefusals()).toBe(1);
    f.clock.now = t1 + 2 * MIN;
    expect(await login.auditRefusals()).toBe(0);
    expect((await throttled()).filter((e) => e.target === "alice").map((e) => e.count)).toEqual([199, 1]);
    expect(await f.audit.list(1000)).toHaveLength(20 + 5 + 5 + 2);
    expect((await f.audit.verify()).ok).toBe(true);
  });

  it("limits failures per address across names, and the limit survives a restart", async () => {
    for (let i = 0; i < 20; i++) await login.login(`user${i}`, "some wrong password", from("192.0.2.1"));
    expect(await login.login("alice", PW, from("192.0.2.1"))).toMatchObject({ ok: false, code: "rate_limited" });
    expect((await login.login("alice", PW, from("192.0.2.2"))).ok).toBe(true);
    // A new service on the same database (a restart) still refuses the address.
    const again = new LoginService({ ...f, clock: f.now });
    expect(await again.login("alice", PW, from("192.0.2.1"))).toMatchObject({ ok: false, code: "rate_limited", retryAfterMs: 15 * MIN });
    f.clock.now += 15 * MIN;
    expect((await again.login("alice", PW, from("192.0.2.1"))).ok).toBe(true);
    // The failures stay a day: a (name, address) pair's growing wait is remembered that long.
    expect(await f.attempts.purge(f.clock.now)).toBe(0);
    expect(await f.attempts.purge(f.clock.now + 24 * HOUR)).toBe(20);
  });
});
