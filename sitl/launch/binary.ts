/**
 * Runs N copies of a native ArduPilot SITL binary (e.g. ardupilot/build/sitl/bin/arducopter), one per vehicle,
 * the way sim_vehicle.py does it without MAVProxy: instance i serves MAVLink on TCP base+10·i, keeps its
 * eeprom.bin in its own directory, and gets its own system id over MAVLink (see sysid.ts).
 *
 * SITL's TCP server binds every interface (0.0.0.0); it has no option to bind loopback only. The links printed
 * are 127.0.0.1, but on a shared network firewall the ports or run the Docker backend, which publishes on
 * 127.0.0.1 only.
 */
import { existsSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Logger } from "pino";
import { ardupilotHome, homeFor } from "./homes";
import type { ChildLike, SpawnFn } from "./process";
import { exited, hasExited, stopChildren, tailOf } from "./process";
import { assignSysid, describeSysid } from "./sysid";
import type { SysidParamChoice } from "./sysid";
import type { Home, Launched } from "./types";

export const SITL_BASE_PORT = 5760;

export interface BinaryOptions {
  binary: string;
  vehicles: number;
  home: Home;
  basePort: number;
  sysidBase: number;
  /** ArduPilot's --speedup (simulated time runs this many times faster). */
  speedup?: number;
  /** ArduPilot's --defaults: comma-separated parameter files, e.g. Tools/autotest/default_params/copter.parm. */
  defaults?: string;
  /** ArduPilot's --model; "+" is the quad sim_vehicle.py uses for ArduCopter. */
  model?: string;
  /** Parent of the per-instance working directories (eeprom.bin, logs, sitl.log). */
  workDir?: string;
  paramName: SysidParamChoice;
}

export function defaultWorkDir(): string {
  return path.join(os.tmpdir(), "dmc-sitl");
}

/** The command line of instance i. */
export function binaryArgs(opts: BinaryOptions, i: number): string[] {
  // SITL adds 10·instance to its default base port only; a custom base must come first and already include it.
  const base = opts.basePort === SITL_BASE_PORT ? [] : ["--base-port", String(opts.basePort + 10 * i)];
  return [
    ...base,
    "--model", opts.model ?? "+",
    "--home", ardupilotHome(homeFor(opts.home, i)),
    "--instance", String(i),
    ...(opts.speedup !== undefined ? ["--speedup", String(opts.speedup)] : []),
    ...(opts.defaults !== undefined ? ["--defaults", opts.defaults] : []),
  ];
}

export function instanceDir(opts: BinaryOptions, i: number): string {
  return path.join(opts.workDir ?? defaultWorkDir(), `instance-${i}`);
}

export function linkFor(basePort: number, i: number): string {
  return `tcpout://127.0.0.1:${basePort + 10 * i}`;
}

/** Throws if a child exits before `work` settles: a SITL that dies at start says why in its log. */
async function unlessDied<T>(work: Promise<T>, child: ChildLike, logFile: string): Promise<T> {
  const died = exited(child).then(() => {
    const tail = tailOf(logFile);
    throw new Error(`SITL exited (code ${child.exitCode ?? child.signalCode}) before it was ready; ${logFile}:\n${tail}`);
  });
  return Promise.race([work, died]);
}

export async function launchBinary(opts: BinaryOptions, deps: { spawn: SpawnFn; logger: Logger; signal?: AbortSignal }): Promise<Launched> {
  if (!existsSync(opts.binary)) throw new Error(`no SITL binary at ${opts.binary} (build one with ./waf configure --board sitl && ./waf copter)`);
  const children: ChildLike[] = [];
  const stop = (): Promise<void> => stopChildren(children);
  const notes: string[] = [];
  if (opts.defaults === undefined) {
    notes.push("No --defaults given: SITL starts from firmware defaults. Pass ardupilot/Tools/autotest/default_params/copter.parm for a vehicle that arms and flies like sim_vehicle.py's.");
  }
  const abandon = new AbortController();
  deps.signal?.addEventListener("abort", () => abandon.abort(), { once: true });
  try {
    const ready: Promise<void>[] = [];
    for (let i = 0; i < opts.vehicles; i++) {
      const cwd = instanceDir(opts, i);
      mkdirSync(cwd, { recursive: true });
      const logFile = path.join(cwd, "sitl.log");
      const args = binaryArgs(opts, i);
      deps.logger.info({ instance: i, cwd, command: [opts.binary, ...args].join(" ") }, "starting SITL");
      const child = deps.spawn({ command: opts.binary, args, cwd, logFile });
      children.push(child);
      const url = linkFor(opts.basePort, i);
      const want = opts.sysidBase + i;
      ready.push(unlessDied(assignSysid(url, want, {
        paramName: opts.paramName, logger: deps.logger, bootTimeoutMs: 60_000, signal: abandon.signal,
      }), child, logFile)
        .then((r) => { notes.push(describeSysid(r)); }));
    }
    await Promise.all(ready);
    const lost = children.findIndex(hasExited);
    if (lost !== -1) throw new Error(`SITL instance ${lost} exited; see ${path.join(instanceDir(opts, lost), "sitl.log")}`);
  } catch (err) {
    abandon.abort();
    await stop();
    throw err;
  }
  notes.push(`SITL logs and eeprom: ${opts.workDir ?? defaultWorkDir()}/instance-N/`);
  return {
    links: Array.from({ length: opts.vehicles }, (_, i) => linkFor(opts.basePort, i)),
    sysids: Array.from({ length: opts.vehicles }, (_, i) => opts.sysidBase + i),
    notes,
    stop,
  };
}
