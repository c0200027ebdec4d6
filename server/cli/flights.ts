import { Command, Option } from "commander";
import { DEFAULT_SERIES, DEFAULT_SERIES_RATE, configSchema, resolveFilesDir } from "../config";
import type { SeriesConfig } from "../config";
import { FlightCatalogue, InfluxSeriesStore, REBUILD_PROBLEMS, SqliteSeriesStore, rebuildCatalogue } from "../flights";
import type { SeriesStore } from "../flights";
import { serverIdOf } from "../storage";
import type { CliContext } from "./common";
import { err, openCli, out, run, runProgram } from "./common";

interface Flags {
  dataDir?: string;
  files?: string;
  series?: string;
  seriesRate?: string;
}

/**
 * --series / --series-rate as the server reads them (flag, else DMC_SERIES / DMC_SERIES_RATE, else the default),
 * checked by the server's own schema, so the rebuild writes where the server reads. Problems never quote the URL
 * (it may hold a password).
 */
function seriesTarget(flags: Flags, env: NodeJS.ProcessEnv): { series: SeriesConfig; rateHz: number } {
  const pick = (flag: string | undefined, name: string, fallback: string) => {
    const fromEnv = env[`DMC_${name}`];
    return flag ?? (fromEnv === undefined || fromEnv.trim() === "" ? fallback : fromEnv);
  };
  const series = configSchema.shape.series.safeParse(pick(flags.series, "SERIES", DEFAULT_SERIES));
  if (!series.success) throw new Error(`--series: ${series.error.issues[0]?.message ?? "invalid"}`);
  const rate = configSchema.shape.seriesRate.safeParse(pick(flags.seriesRate, "SERIES_RATE", String(DEFAULT_SERIES_RATE)));
  if (!rate.success) throw new Error(`--series-rate: ${rate.error.issues[0]?.message ?? "invalid"}`);
  return { series: series.data, rateHz: rate.data };
}

function openStore(c: CliContext, series: SeriesConfig): SeriesStore {
  const log = c.log.child({ part: "series" });
  return series.kind === "influx" ? new InfluxSeriesStore(series, { log }) : new SqliteSeriesStore(c.db, { log });
}

function program(): Command {
  const cmd = new Command("npm run flights --")
    .description("Maintain the flight catalogue of drone mission control.")
    .option("--data-dir <dir>", "data directory [DMC_DATA_DIR, default ./data]")
    .option("--files <dir>", "the evidence files' directory, as the server's --files [DMC_FILES, default the data directory]")
    .showHelpAfterError()
    .exitOverride();
  // A rebuild rewrites the catalogue and the series a running server is writing: never beside one.
  const ctx = () => openCli(cmd.opts<Flags>().dataDir, process.env, { exclusive: "flights rebuild" });

  cmd.command("rebuild")
    .description("recompute the catalogue and the telemetry series from the .tlog files: every closed or imported "
      + "flight's statistics and series, and a row for each file under flights/ that has none; exit 1 if a file is "
      + "missing, no longer matches its SHA-256 seal, cannot be catalogued, or its series could not be written")
    .addOption(new Option("--series <url>", "where the series go, as for the server: 'sqlite' (default, in the data "
      + "directory) or influx://[user:pass@]host:8086/db[?retention=90d] [DMC_SERIES]"))
    .addOption(new Option("--series-rate <hz>", `series samples per second, default ${DEFAULT_SERIES_RATE} [DMC_SERIES_RATE]`))
    .action((flags: Flags) => run(ctx, async (c) => {
      const target = seriesTarget(flags, process.env);
      const store = openStore(c, target.series);
      let results;
      try {
        const files = resolveFilesDir(cmd.opts<Flags>().files, process.env, c.dataDir);
        results = await rebuildCatalogue(new FlightCatalogue(c.sql), files, c.log, { series: { store, rateHz: target.rateHz }, server: serverIdOf(c.dataDir) });
      } finally {
        await store.close();
      }
      let bad = 0;
      for (const r of results) {
        const line = `${r.id ?? "-"}\t${r.outcome}\t${r.tlogPath}\t${r.message}`;
        if (REBUILD_PROBLEMS.has(r.outcome)) {
          bad++;
          err(line);
        } else {
          out(line);
        }
      }
      const count = (o: string) => results.filter((r) => r.outcome === o).length;
      const points = results.reduce((n, r) => n + r.seriesPoints, 0);
      out(`${count("updated")} flights rebuilt, ${count("added")} added to the catalogue, ${points} series points written `
        + `(${target.series.kind}); ${results.length} files${bad > 0 ? `, ${bad} with problems` : ""}`);
      return bad > 0 ? 1 : 0;
    }));
  return cmd;
}

void runProgram(program(), process.argv.slice(2));
