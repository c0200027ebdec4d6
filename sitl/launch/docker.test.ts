import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { composeYaml, dockerProblem, launchDocker, runSync } from "./docker";
import type { DockerOptions, RunFn } from "./docker";
import { DEFAULT_HOME } from "./homes";

const logger = pino({ level: "silent" });
let dir = "";
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function options(over: Partial<DockerOptions> = {}): DockerOptions {
  dir = mkdtempSync(path.join(os.tmpdir(), "sitl-docker-test-"));
  return { vehicles: 3, home: DEFAULT_HOME, basePort: 5760, sysidBase: 1, paramName: "auto", workDir: dir, ...over };
}

/** Test double of the docker CLI: answers from a table and records every call. */
function fakeDocker(answers: Record<string, { status: number; stderr?: string }>): { run: RunFn; calls: string[] } {
  const calls: string[] = [];
  const run: RunFn = (command, args) => {
    const line = [command, ...args].join(" ");
    calls.push(line);
    const key = Object.keys(answers).find((k) => line.startsWith(k));
    const a = key === undefined ? { status: 0 } : answers[key]!;
    return { status: a.status, stdout: "", stderr: a.stderr ?? "" };
  };
  return { run, calls };
}

describe("composeYaml", () => {
  it("publishes each SITL's 5760 on its own loopback port with its own home", () => {
    const yaml = composeYaml(options({ speedup: 2 }));
    expect(yaml.match(/image: radarku\/ardupilot-sitl/g)).toHaveLength(3);
    expect(yaml).toContain(`- "127.0.0.1:5760:5760"`);
    expect(yaml).toContain(`- "127.0.0.1:5780:5760"`);
    expect(yaml).toContain(`LAT: "51.5074"`);
    expect(yaml).toContain(`SPEEDUP: "2"`);
    expect(new Set(yaml.match(/LON: "[^"]+"/g))).toHaveProperty("size", 3);
  });
});

describe("dockerProblem", () => {
  it("says when the engine is missing (client present, daemon not running)", () => {
    const { run } = fakeDocker({ "docker info": { status: 1, stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n" } });
    expect(dockerProblem(run)).toMatch(/^Docker engine not available .*Cannot connect to the Docker daemon/);
  });

  it("says when docker is not installed, and when all is there", () => {
    expect(dockerProblem(() => ({ status: null, stdout: "", stderr: "", error: new Error("spawn docker ENOENT") }))).toMatch(/not installed/);
    expect(dockerProblem(fakeDocker({}).run)).toBeNull();
  });

  it("reports this machine's real state in one sentence", () => {
    const problem = dockerProblem(runSync);
    expect(problem === null || /^(Docker|the Docker)/.test(problem)).toBe(true);
  });
});

describe("launchDocker", () => {
  it("without an engine: refuses with the reason and the command to run elsewhere, and runs nothing", async () => {
    const opts = options();
    const { run, calls } = fakeDocker({ "docker info": { status: 1, stderr: "Cannot connect to the Docker daemon" } });
    const err = await launchDocker(opts, { run, logger }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/Docker engine not available[\s\S]*docker compose -f .*docker-compose\.3\.yml up/);
    expect(calls.some((c) => c.includes(" up"))).toBe(false);
    expect(readFileSync(path.join(dir, "docker-compose.3.yml"), "utf8")).toContain("copter-2:");
  });

  it("brings the stack down when a vehicle never answers", async () => {
    const opts = options({ vehicles: 1, basePort: 1, bootTimeoutMs: 200 });
    const { run, calls } = fakeDocker({});
    await expect(launchDocker(opts, { run, logger })).rejects.toThrow(/no vehicle HEARTBEAT/);
    expect(calls.at(-1)).toMatch(/compose -f .* down/);
  });
});
