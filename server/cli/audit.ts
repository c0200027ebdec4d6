import fs from "node:fs";
import { Command } from "commander";
import { AuditLog, keyPaths, parseCheckpointExport, readAuditPublicKey } from "../audit";
import type { VerifyResult } from "../audit";
import { resolveDataDir } from "../config";
import { err, openCli, out, run, runProgram } from "./common";
import type { CliContext } from "./common";

async function verify(c: CliContext, checkpointFile: string | undefined): Promise<number> {
  let exported;
  if (checkpointFile !== undefined) {
    const parsed = parseCheckpointExport(fs.readFileSync(checkpointFile, "utf8"));
    if (!parsed.ok) {
      err(`error: ${checkpointFile}: ${parsed.reason}`);
      return 2;
    }
    exported = parsed.value;
  }
  // Reads only: no key, so no checkpoint is written from here.
  const r = await new AuditLog(c.sql, c.log, Date.now, { dataDir: c.dataDir }).verify(exported ? { exported } : {});
  report(r, checkpointFile);
  return r.ok ? 0 : 1;
}

function report(r: VerifyResult, checkpointFile: string | undefined): void {
  const chain = r.problems.find((p) => p.kind === "edited" || p.kind === "deleted" || p.kind === "sequence");
  const others = r.problems.filter((p) => p !== chain);
  if (chain) err(`audit chain BROKEN after ${r.entries} good entries: ${chain.message}`);
  else if (others.length > 0) err(`audit log REWRITTEN OR CUT SHORT: the chain links (${r.entries} entries) but its signed checkpoints disagree:`);
  else out(`audit chain intact: ${r.entries} entries${r.entries > 0 ? ` (head ${r.headHash})` : ""}`);
  for (const p of others) err(`  - ${p.message}`);
  if (r.checkpoints === 0) {
    out("no signed checkpoints yet (the server writes them): newest entries deleted now would go unnoticed");
  } else if (r.ok) {
    out(`${r.checkpoints} signed checkpoints verified${checkpointFile ? `, including ${checkpointFile}` : ""}, key ${r.keyFingerprint ?? "?"}`);
  }
}

function program(): Command {
  const cmd = new Command("npm run audit --")
    .description("Inspect the audit log of drone mission control.")
    .option("--data-dir <dir>", "data directory [DMC_DATA_DIR, default ./data]")
    .showHelpAfterError()
    .exitOverride();
  const dataDirFlag = () => cmd.opts<{ dataDir?: string }>().dataDir;
  const ctx = () => openCli(dataDirFlag(), process.env, "readonly");

  cmd.command("verify")
    .description("check the hash chain and its signed checkpoints: exit 0 when intact, 1 when rewritten, cut short or broken")
    .option("--checkpoint <file>", "also check a checkpoint exported earlier (GET /api/audit/checkpoint) and kept elsewhere")
    .action((o: { checkpoint?: string }) => run(ctx, (c) => verify(c, o.checkpoint)));

  cmd.command("key").description("print the public key that signs the audit checkpoints, and its SHA-256 fingerprint")
    .action(() => {
      const dataDir = resolveDataDir(dataDirFlag(), process.env);
      try {
        const key = readAuditPublicKey(dataDir);
        if (!key) {
          err(`no audit signing key in ${dataDir}: the server creates one at its first start`);
          process.exitCode = 1;
          return;
        }
        out(`${key.publicPem.trimEnd()}\nfingerprint ${key.fingerprint}\nfile ${keyPaths(dataDir).publicFile}`);
      } catch (e) {
        err(`error: ${(e as Error).message}`);
        process.exitCode = 1;
      }
    });

  cmd.command("list").description("print the newest entries, newest first")
    .option("-n, --limit <n>", "how many", "50")
    .action((o: { limit: string }) => run(ctx, async (c) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) {
        err("error: --limit must be a whole number of at least 1");
        return 2;
      }
      for (const e of await c.audit.list(limit)) {
        out(`${e.id}\t${e.time}\t${e.actor}${e.address ? `@${e.address}` : ""}\t${e.action}\t${e.target}\t${e.result}\t${e.detail}`);
      }
      return 0;
    }));
  return cmd;
}

void runProgram(program(), process.argv.slice(2));
