import { Command } from "commander";
import { FlightCatalogue, rebuildCatalogue } from "../flights";
import { err, openCli, out, run, runProgram } from "./common";

function program(): Command {
  const cmd = new Command("npm run flights --")
    .description("Maintain the flight catalogue of drone mission control.")
    .option("--data-dir <dir>", "data directory [DMC_DATA_DIR, default ./data]")
    .showHelpAfterError()
    .exitOverride();
  const ctx = () => openCli(cmd.opts<{ dataDir?: string }>().dataDir, process.env);

  cmd.command("rebuild")
    .description("recompute every closed or imported flight's statistics from its .tlog file; exit 1 if a file is missing "
      + "or no longer matches its SHA-256 seal")
    .action(() => run(ctx, async (c) => {
      const results = await rebuildCatalogue(new FlightCatalogue(c.db), c.dataDir, c.log);
      let bad = 0;
      for (const r of results) {
        const line = `${r.id}\t${r.outcome}\t${r.tlogPath}\t${r.message}`;
        if (r.outcome === "missing" || r.outcome === "hash-mismatch") {
          bad++;
          err(line);
        } else {
          out(line);
        }
      }
      out(`${results.filter((r) => r.outcome === "updated").length} of ${results.length} flights rebuilt${bad > 0 ? `, ${bad} with problems` : ""}`);
      return bad > 0 ? 1 : 0;
    }));
  return cmd;
}

void runProgram(program(), process.argv.slice(2));
