/**
 * npm run verify-bundle -- PATH: checks an evidence bundle offline (no server, no database): every file against
 * SHA256SUMS, every original against its sealed hash, the custody log's audit entries and the chain they sit in,
 * and the signed checkpoint at its end. Exit 0 when everything holds, 1 when anything fails, 2 on a usage error.
 */
import { Command } from "commander";
import { verifyBundle } from "../custody";
import { err, out, runProgram } from "./common";

function program(): Command {
  return new Command("npm run verify-bundle --")
    .description("Check an evidence bundle made by drone mission control, offline: exit 0 when intact, 1 when anything fails.")
    .argument("<path>", "the bundle's folder")
    .option("-q, --quiet", "print only what fails and the verdict")
    .showHelpAfterError()
    .exitOverride()
    .action(async (dir: string, o: { quiet?: boolean }) => {
      const r = await verifyBundle(dir);
      if (!o.quiet) for (const line of r.passed) out(`ok    ${line}`);
      for (const line of r.failed) err(`FAIL  ${line}`);
      if (r.keyFingerprint) out(`signing key ${r.keyFingerprint}: compare it with the fingerprint the unit published`);
      out(r.ok ? `bundle ${dir}: INTACT (${r.passed.length} checks)` : `bundle ${dir}: ${r.failed.length} FAILED of ${r.passed.length + r.failed.length} checks`);
      process.exitCode = r.ok ? 0 : 1;
    });
}

void runProgram(program(), process.argv.slice(2));
