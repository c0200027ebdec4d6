import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { binaryArgs, launchBinary, linkFor } from "./binary";
import type { BinaryOptions } from "./binary";
import { DEFAULT_HOME } from "./homes";
import type { ChildLike, SpawnRequest } from "./process";
import { FakeSitlVehicle } from "../../test/support/sitl/launch-doubles";

const logger = pino({ level: "silent" });

/** Test double of a spawned SITL: records the request; "runs" a FakeSitlVehicle on the port SITL would serve. */
class FakeSitlProcess extends EventEmitter implements ChildLike {
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly pid = 4242;
  vehicle: FakeSitlVehicle | null = null;

  constructor(readonly req: SpawnRequest, port: number | null) {
    super();
    if (port !== null) {
      this.vehicle = new FakeSitlVehicle(["MAV_SYSID"], `tcpin://127.0.0.1:${port}`);
      void this.vehicle.start();
    }
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): boolean {
    void this.vehicle?.stop();
    this.exit(null, signal);
    return true;
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.exitCode !== null || this.signalCode !== null) return;
    this.exitCode = code;
    this.signalCode = signal;
    this.emit("exit", code, signal);
  }
}

let dir = "";
let binary = "";
const spawned: FakeSitlProcess[] = [];

function options(over: Partial<BinaryOptions> = {}): BinaryOptions {
  return { binary, vehicles: 2, home: DEFAULT_HOME, basePort: 5760, sysidBase: 1, paramName: "auto", workDir: dir, ...over };
}

afterEach(async () => {
  for (const p of spawned.splice(0)) p.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function setup(): void {
  dir = mkdtempSync(path.join(os.tmpdir(), "sitl-binary-test-"));
  binary = path.join(dir, "arducopter");
  writeFileSync(binary, "");
}

describe("binaryArgs", () => {
  it("gives each instance its home, instance number, speedup and defaults, as ArduPilot spells them", () => {
    setup();
    const opts = options({ speedup: 5, defaults: "copter.parm,extra.parm" });
    expect(binaryArgs(opts, 0)).toEqual([
      "--model", "+", "--home", "51.5074,-0.1278,10,0", "--instance", "0", "--speedup", "5", "--defaults", "copter.parm,extra.parm",
    ]);
    const second = binaryArgs(opts, 1);
    expect(second.slice(4, 6)).toEqual(["--instance", "1"]);
    expect(second[3]).toMatch(/^51\.5074,-0\.125\d+,10,0$/);
  });

  it("puts a custom base port first, already offset for the instance (SITL only offsets its default)", () => {
    setup();
    expect(binaryArgs(options({ basePort: 6000 }), 2).slice(0, 2)).toEqual(["--base-port", "6020"]);
    expect(linkFor(6000, 2)).toBe("tcpout://127.0.0.1:6020");
  });
});

describe("launchBinary", () => {
  it("starts one process per vehicle in its own directory and gives each its system id", async () => {
    setup();
    const basePort = 47000 + Math.floor(Math.random() * 500) * 2;
    const opts = options({ basePort, sysidBase: 11, defaults: "copter.parm" });
    const launched = await launchBinary(opts, {
      logger,
      spawn: (req) => {
        const i = spawned.length;
        const p = new FakeSitlProcess(req, basePort + 10 * i);
        spawned.push(p);
        return p;
      },
    });
    expect(launched.links).toEqual([`tcpout://127.0.0.1:${basePort}`, `tcpout://127.0.0.1:${basePort + 10}`]);
    expect(launched.sysids).toEqual([11, 12]);
    expect(spawned.map((p) => p.req.cwd)).toEqual([path.join(dir, "instance-0"), path.join(dir, "instance-1")]);
    expect(spawned[1]!.req.command).toBe(binary);
    expect(launched.notes.filter((n) => n.includes("MAV_SYSID")).sort()).toEqual([
      expect.stringContaining("system id 1 -> 11"), expect.stringContaining("system id 1 -> 12"),
    ]);
    await launched.stop();
    expect(spawned.every((p) => p.signalCode === "SIGTERM")).toBe(true);
  });

  it("reports a SITL that dies at start with the end of its log, and stops the others", async () => {
    setup();
    const promise = launchBinary(options({ basePort: 5760 }), {
      logger,
      spawn: (req) => {
        const p = new FakeSitlProcess(req, null);
        spawned.push(p);
        if (spawned.length === 2) {
          writeFileSync(req.logFile, "Starting sketch 'ArduCopter'\nVehicle model (bogus) not found\n");
          setTimeout(() => p.exit(1), 20);
        }
        return p;
      },
    });
    await expect(promise).rejects.toThrow(/SITL exited \(code 1\)[\s\S]*Vehicle model \(bogus\) not found/);
    expect(spawned[0]!.signalCode).toBe("SIGTERM");
  });

  it("refuses a binary that is not there", async () => {
    setup();
    await expect(launchBinary(options({ binary: path.join(dir, "nope") }), { logger, spawn: () => { throw new Error("spawned"); } }))
      .rejects.toThrow(/no SITL binary at/);
  });
});
