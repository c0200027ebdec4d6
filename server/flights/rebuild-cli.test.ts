import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Influxd } from "../../test/helpers/influxd";

const root = path.resolve(__dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const FIXTURE = path.join(root, "test/fixtures/copter_flight_1.tlog");
const FLIGHT_FILE = "flights/1-1/2026-11-20T14-03-00.000Z.tlog";

function dataDirWithLostRow(): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-rebuild-cli-"));
  fs.mkdirSync(path.join(dataDir, "flights/1-1"), { recursive: true });
  fs.copyFileSync(FIXTURE, path.join(dataDir, FLIGHT_FILE));
  return dataDir;
}

function rebuild(dataDir: string, ...args: string[]) {
  const r = spawnSync(tsx, ["server/cli/flights.ts", "rebuild", "--data-dir", dataDir, ...args], {
    cwd: root, encoding: "utf8", env: { ...process.env, DMC_DATA_DIR: "", DMC_SERIES: "", DMC_SERIES_RATE: "" }, timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** "… N series points written …" of the summary line. */
const pointsOf = (stdout: string) => Number(/(\d+) series points written/.exec(stdout)?.[1]);

describe("npm run flights -- rebuild", () => {
  const dirs: string[] = [];
  let influxd: Influxd;
  beforeAll(async () => {
    influxd = await Influxd.create();
  }, 30_000);
  afterAll(async () => {
    await influxd?.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("adds the lost row and the series (SQLite), the same again on a second run, exit 1 once the file is altered", () => {
    const dataDir = dataDirWithLostRow();
    dirs.push(dataDir);
    const first = rebuild(dataDir);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toMatch(new RegExp(`^1\tadded\t${FLIGHT_FILE}\tnew row for 1:1, \\d+ packets, \\d+ series points\n`));
    expect(first.stdout).toMatch(/0 flights rebuilt, 1 added to the catalogue, \d+ series points written \(sqlite\); 1 files\n$/);
    const second = rebuild(dataDir);
    expect(second).toMatchObject({ code: 0, stdout: expect.stringMatching(/^1\tupdated\t/) });
    expect(pointsOf(second.stdout)).toBe(pointsOf(first.stdout));

    fs.appendFileSync(path.join(dataDir, FLIGHT_FILE), Buffer.from([0]));
    const altered = rebuild(dataDir);
    expect(altered.code).toBe(1);
    expect(altered.stderr).toMatch(/^1\thash-mismatch\t/m);
    expect(altered.stdout).toMatch(/1 with problems/);
  }, 30_000);

  it("writes the series to InfluxDB with --series influx://…, replacing them on a second run", async () => {
    const dataDir = dataDirWithLostRow();
    dirs.push(dataDir);
    const url = `influx://127.0.0.1:${influxd.port}/dmc_rebuild`;
    const count = async () => {
      const q = new URLSearchParams({ db: "dmc_rebuild", q: "SELECT count(\"altRelative\"), max(\"altRelative\") FROM \"position\" WHERE \"flight\" = '1'" });
      const body = await (await fetch(`${influxd.url}/query?${q}`)).json() as { results: { series?: { values: number[][] }[] }[] };
      const [, n, max] = body.results[0]?.series?.[0]?.values[0] ?? [];
      return { n, max };
    };
    const first = rebuild(dataDir, "--series", url);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/written \(influx\)/) });
    const after = await count();
    expect(after.n).toBeGreaterThan(700);
    expect(after.max).toBeGreaterThan(28);
    expect(after.max).toBeLessThan(32);
    expect(rebuild(dataDir, "--series", url).code).toBe(0);
    expect(await count()).toEqual(after);
  }, 30_000);

  it("refuses a bad --series without touching anything", () => {
    const dataDir = dataDirWithLostRow();
    dirs.push(dataDir);
    expect(rebuild(dataDir, "--series", "mysql://u:secret@db/x")).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: --series: unknown scheme mysql/) });
    expect(rebuild(dataDir, "--series-rate", "0")).toMatchObject({ code: 1, stderr: expect.stringMatching(/--series-rate: must be at least 0.1/) });
  });
});
