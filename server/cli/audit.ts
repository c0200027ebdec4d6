import { Command } from "commander";
import { err, openCli, out, run, runProgram } from "./common";

function program(): Command {
  const cmd = new Command("npm run audit --")
    .description("Inspect the audit log of drone mission control.")
    .option("--data-dir <dir>", "data directory [DMC_DATA_DIR, default ./data]")
    .showHelpAfterError()
    .exitOverride();
  const ctx = () => openCli(cmd.opts<{ dataDir?: string }>().dataDir, process.env);

  cmd.command("verify").description("check the hash chain: exit 0 when intact, 1 at the first broken entry")
    .action(() => run(ctx, (c) => {
      const r = c.audit.verify();
      if (r.ok) {
        out(`audit chain intact: ${r.entries} entries${r.entries > 0 ? ` (head ${r.headHash})` : ""}`);
        return 0;
      }
      err(`audit chain BROKEN after ${r.entries} good entries: ${r.message}`);
      return 1;
    }));

  cmd.command("list").description("print the newest entries, newest first")
    .option("-n, --limit <n>", "how many", "50")
    .action((o: { limit: string }) => run(ctx, (c) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) {
        err("error: --limit must be a whole number of at least 1");
        return 2;
      }
      for (const e of c.audit.list(limit)) {
        out(`${e.id}\t${e.time}\t${e.actor}${e.address ? `@${e.address}` : ""}\t${e.action}\t${e.target}\t${e.result}\t${e.detail}`);
      }
      return 0;
    }));
  return cmd;
}

void runProgram(program(), process.argv.slice(2));
