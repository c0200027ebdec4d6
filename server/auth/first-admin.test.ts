import { beforeEach, expect, it } from "vitest";
import { ensureFirstAdmin, firstAdminCommand, firstAdminHowTo } from "./first-admin";
import { authFixture } from "../../test/support/auth/db";
import type { AuthFixture } from "../../test/support/auth/db";
import { describeOnEngines } from "../../test/support/storage/engines";

describeOnEngines("ensureFirstAdmin", (ctx) => {
  let f: AuthFixture;
  beforeEach(async () => { f = await authFixture(ctx); });

  it("says how to create one when nothing is set", async () => {
    const r = await ensureFirstAdmin(f.users, {}, f.audit);
    expect(r.kind).toBe("none");
    expect(r.kind === "none" && r.howTo).toMatch(/npm run user -- add NAME --role admin.*\n.*DMC_ADMIN_USER/s);
  });

  it("creates the first admin from the environment, once, audited, without the password", async () => {
    const env = { DMC_ADMIN_USER: "Chief", DMC_ADMIN_PASSWORD: "first admin secret" };
    expect(await ensureFirstAdmin(f.users, env, f.audit)).toEqual({ kind: "created", name: "chief" });
    // Everything the system offers, the Flights page included, for whoever installs it.
    expect((await f.users.findByName("chief"))?.roles.sort()).toEqual(["admin", "pilot", "reviewer"]);
    expect(await ensureFirstAdmin(f.users, { ...env, DMC_ADMIN_USER: "other" }, f.audit)).toEqual({ kind: "already" });
    expect(await f.users.list()).toHaveLength(1);
    const entries = await f.audit.list();
    expect(entries).toMatchObject([{ actor: "system", action: "user_created", target: "chief", result: "ok" }]);
    expect(JSON.stringify(entries)).not.toContain("first admin secret");
  });

  it("reports a half-set or unacceptable pair instead of creating anything", async () => {
    expect(await ensureFirstAdmin(f.users, { DMC_ADMIN_USER: "chief" }, f.audit)).toMatchObject({ kind: "invalid", message: /both be set/ });
    const weak = await ensureFirstAdmin(f.users, { DMC_ADMIN_USER: "chief", DMC_ADMIN_PASSWORD: "short" }, f.audit);
    expect(weak).toMatchObject({ kind: "invalid", message: /at least 12 characters/ });
    expect(JSON.stringify(weak)).not.toContain("short\"");
    expect(await f.users.list()).toEqual([]);
  });

  it("names the server's data directory in the command, quoted for a shell when it must be", async () => {
    const r = await ensureFirstAdmin(f.users, {}, f.audit, "/srv/dmc data");
    expect(r.kind === "none" && r.howTo.split("\n")[1])
      .toBe("  npm run user -- --data-dir '/srv/dmc data' add NAME --role admin --role pilot --role reviewer");
    expect(firstAdminCommand("/var/lib/dmc")).toBe("npm run user -- --data-dir /var/lib/dmc add NAME --role admin --role pilot --role reviewer");
    expect(firstAdminCommand("/tmp/it's")).toBe("npm run user -- --data-dir '/tmp/it'\\''s' add NAME --role admin --role pilot --role reviewer");
    // The sign-in page is public: no path there, only how to add one.
    expect(firstAdminHowTo()).toMatch(/with --data-dir DIR after `--` when the server is started with one/);
  });
});
