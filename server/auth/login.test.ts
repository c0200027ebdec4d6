import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LoginService } from "./login";
import { authFixture } from "./test-db";

const PW = "a long enough phrase";
const from = (address: string) => ({ address, userAgent: "test" });
const MIN = 60_000;

describe("LoginService", () => {
  let f: ReturnType<typeof authFixture>;
  let login: LoginService;

  beforeEach(async () => {
    f = authFixture({ rateLimits: { windowMs: 15 * MIN, perName: 5, perAddress: 20 } });
    login = new LoginService({ ...f, clock: f.now });
    await f.users.create({ name: "alice", roles: ["pilot"], password: PW });
  });
  afterEach(() => f.db.close());

  const actions = () => f.audit.list(100).reverse().map((e) => `${e.action}:${e.target}:${e.result}`);

  it("logs in with the right password, opens a session and audits it", async () => {
    const r = await login.login("Alice", PW, from("10.0.0.1"));
    if (!r.ok) throw new Error(r.code);
    expect(r.user).toMatchObject({ name: "alice", roles: ["pilot"], lastLoginAt: "2025-06-01T08:00:00.000Z" });
    expect(r.user).not.toHaveProperty("passwordHash");
    expect(f.sessions.validate(r.session.token)).toMatchObject({ ok: true, session: { name: "alice" } });
    expect(login.logout(r.session.token, from("10.0.0.1"))).toBe(true);
    expect(f.sessions.validate(r.session.token).ok).toBe(false);
    expect(login.logout(r.session.token, from("10.0.0.1"))).toBe(false);
    expect(actions()).toEqual(["login:alice:ok", "logout:alice:ok"]);
    expect(f.audit.list(1)[0]).toMatchObject({ actor: "alice", address: "10.0.0.1" });
  });

  it("answers an unknown user and a wrong password alike, never storing the password", async () => {
    const unknown = await login.login("mallory", "whatever it is", from("10.0.0.2"));
    const wrong = await login.login("alice", "whatever it is", from("10.0.0.2"));
    expect(unknown).toEqual({ ok: false, code: "bad_credentials" });
    expect(wrong).toEqual({ ok: false, code: "bad_credentials" });
    expect(actions()).toEqual(["login_failed:mallory:bad_credentials", "login_failed:alice:bad_credentials"]);
    const everything = JSON.stringify([f.db.prepare("SELECT * FROM audit_log").all(), f.db.prepare("SELECT * FROM login_attempts").all()]);
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
    f.users.setDisabled("alice", true);
    expect(await login.login("alice", "not the password", from("10.0.0.3"))).toEqual({ ok: false, code: "bad_credentials" });
    expect(await login.login("alice", PW, from("10.0.0.3"))).toEqual({ ok: false, code: "disabled" });
  });

  it("limits failures per user name, in a sliding window that a good login resets", async () => {
    for (let i = 0; i < 5; i++) {
      f.clock.now += MIN;
      expect(await login.login("alice", `wrong password ${i}`, from(`10.0.2.${i}`))).toMatchObject({ code: "bad_credentials" });
    }
    // Even the right password, from a fresh address, waits: the limit guards the name.
    f.clock.now += MIN;
    const limited = await login.login("alice", PW, from("10.0.9.9"));
    expect(limited).toEqual({ ok: false, code: "rate_limited", retryAfterMs: 10 * MIN });
    f.clock.now += 10 * MIN - 1;
    expect(await login.login("ALICE", PW, from("10.0.9.9"))).toMatchObject({ code: "rate_limited", retryAfterMs: 1 });
    f.clock.now += 1;
    expect((await login.login("alice", PW, from("10.0.9.9"))).ok).toBe(true);
    // The good login cleared the name's failures.
    expect(await login.login("alice", "wrong again here", from("10.0.9.9"))).toMatchObject({ code: "bad_credentials" });
    expect((await login.login("alice", PW, from("10.0.9.9"))).ok).toBe(true);
    expect(actions().filter((a) => a.endsWith("rate_limited"))).toEqual(["login_failed:alice:rate_limited", "login_failed:alice:rate_limited"]);
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
    expect(f.attempts.purge(f.clock.now)).toBe(20);
  });
});
