import { Command, Option } from "commander";
import { SessionStore, UserStore } from "../auth";
import type { UserResult } from "../auth";
import { PASSWORD_MIN_LENGTH, firstAdminCommand } from "../auth";
import { ROLES } from "../protocol";
import type { CliContext } from "./common";
import { err, openCli, out, run, runProgram } from "./common";
import { readNewPassword } from "./secret";

function stores(c: CliContext): UserStore {
  return new UserStore(c.sql, new SessionStore(c.sql));
}

/** Audits a change and prints it; exit code 0, or 1 with the reason. */
async function report(c: CliContext, r: UserResult, done: string): Promise<number> {
  if (!r.ok) {
    err(`error: ${r.message}`);
    return 1;
  }
  await c.audit.append({ actor: c.actor, address: "", result: "ok", ...r.change });
  out(done);
  return 0;
}

function program(): Command {
  const roleOption = () => new Option("-r, --role <role...>", `role(s): ${ROLES.join(", ")}; repeat for several`).makeOptionMandatory();
  const cmd = new Command("npm run user --")
    .description("Manage the users of drone mission control (in the data directory's database). Changes are audited.")
    .option("--data-dir <dir>", "data directory [DMC_DATA_DIR, default ./data]")
    .showHelpAfterError()
    .exitOverride();
  const ctx = () => openCli(cmd.opts<{ dataDir?: string }>().dataDir, process.env);

  cmd.command("add <name>")
    .description(`create a user; the password (at least ${PASSWORD_MIN_LENGTH} characters) is asked twice, or read from stdin (first line)`)
    .addOption(roleOption())
    .action((name: string, o: { role: string[] }) => run(ctx, async (c) => {
      const password = await readNewPassword(process.stdin, process.stderr);
      const r = await stores(c).create({ name, roles: o.role, password });
      return report(c, r, r.ok ? `created ${r.user.name} (${r.user.roles.join(", ")})` : "");
    }));

  cmd.command("list").description("list users").action(() => run(ctx, async (c) => {
    const users = await stores(c).list();
    if (users.length === 0) out(`no users yet: ${firstAdminCommand(c.dataDir)}`);
    for (const u of users) {
      out([u.name.padEnd(20), u.roles.join(",").padEnd(28), (u.disabled ? "disabled" : "enabled").padEnd(9),
        `created ${u.createdAt}`, `last login ${u.lastLoginAt ?? "never"}`].join(" "));
    }
    return 0;
  }));

  cmd.command("disable <name>").description("disable a user and end their sessions")
    .action((name: string) => run(ctx, async (c) => report(c, await stores(c).setDisabled(name, true), `disabled ${name.toLowerCase()}`)));
  cmd.command("enable <name>").description("enable a user again")
    .action((name: string) => run(ctx, async (c) => report(c, await stores(c).setDisabled(name, false), `enabled ${name.toLowerCase()}`)));

  cmd.command("roles <name>").description("replace a user's roles (ends their sessions)").addOption(roleOption())
    .action((name: string, o: { role: string[] }) => run(ctx, async (c) => {
      const r = await stores(c).setRoles(name, o.role);
      return report(c, r, r.ok ? `${r.user.name}: ${r.user.roles.join(", ")}` : "");
    }));

  cmd.command("passwd <name>").description("set a user's password (asked twice, or read from stdin); ends their sessions")
    .action((name: string) => run(ctx, async (c) => {
      const users = stores(c);
      if (!await users.findByName(name)) return report(c, { ok: false, code: "not_found", message: `no user named "${name}"` }, "");
      const password = await readNewPassword(process.stdin, process.stderr);
      return report(c, await users.setPassword(name, password), `password changed for ${name.toLowerCase()}`);
    }));
  return cmd;
}

void runProgram(program(), process.argv.slice(2));
