/**
 * `npm run demo`: the whole system on one machine, no drone needed. Builds the web client, starts three
 * simulated ArduCopters over central London, each flying a sample police mission again and again (a search over
 * Hyde Park, a perimeter at Canary Wharf, an inspection of Tower Bridge), starts the server connected to them,
 * and prints the map address. Ctrl-C stops it all and removes the demo's temporary data directory.
 *
 * The server runs as a child process, as users run it: sitl/ must not import server runtime code, and the demo
 * then exercises exactly the TCP links a real ArduPilot SITL would offer.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import pino from "pino";
import {
  builtinVehicles, exited, homeFor, launchBuiltin, MAX_VEHICLES, missionHome, readMission, shiftMission, stopChildren,
} from "./launch";
import type { BuiltinVehicle, ChildLike } from "./launch";
import { demoTempDir, removeLeftovers } from "./demo-temp";

const MISSIONS = [
  "missions/search-pattern-hyde-park.waypoints",
  "missions/perimeter-canary-wharf.waypoints",
  "missions/inspection-tower-bridge.waypoints",
];
const BASE_PORT = 5760;
/** On the ground between flights: long enough to see the vehicle land and disarm on the map. */
const PAUSE_MS = 15_000;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function intOption(min: number, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** Vehicle i flies sample mission i % 3; the fourth and later fly copies moved 150 m along from the first three. */
function demoVehicles(n: number): BuiltinVehicle[] {
  return Array.from({ length: n }, (_, i) => {
    const items = readMission(MISSIONS[i % MISSIONS.length]!);
    const home = missionHome(items)!;
    const [v] = builtinVehicles(1, 1 + i, homeFor(home, Math.floor(i / MISSIONS.length)), null);
    return { ...v!, mission: shiftMission(items, home, v!.home) };
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildLike {
  return spawn(command, args, { stdio: "inherit", env });
}

/**
 * Ctrl-C or SIGTERM, from the start (a signal's default action would kill the demo without its exit, leaving its
 * temporary directory): the first stops everything in order, a second exits at once (the exit still cleans up).
 */
function stopSignals(): { stopped: Promise<"signal">; requested(): boolean } {
  let requested = false;
  let resolve: (why: "signal") => void = () => {};
  const stopped = new Promise<"signal">((r) => { resolve = r; });
  const on = (signal: NodeJS.Signals) => {
    if (requested) process.exit(signal === "SIGINT" ? 130 : 143);
    requested = true;
    resolve("signal");
  };
  process.on("SIGINT", on);
  process.on("SIGTERM", on);
  return { stopped, requested: () => requested };
}

interface DemoOptions {
  httpPort: number;
  vehicles: number;
  basePort: number;
  /** False with --no-build: serve the client already in dist/client. */
  build: boolean;
}

async function main(opts: DemoOptions): Promise<number> {
  const signals = stopSignals();
  for (const dir of removeLeftovers()) say(`Removed ${dir}, left by a demo that was killed.`);
  const bin = (name: string): string => path.join("node_modules", ".bin", name);
  if (opts.build) {
    say("Building the web client...");
    const build = run(bin("vite"), ["build", "--logLevel", "warn"]);
    await exited(build);
    if (signals.requested()) return 0;
    if (build.exitCode !== 0) {
      say(`The client build failed (exit ${build.exitCode ?? build.signalCode}).`);
      return 1;
    }
  }

  const logger = pino({ level: "warn", base: { part: "demo" } }, pino.destination(2));
  const vehicles = demoVehicles(opts.vehicles);
  const fleet = await launchBuiltin({
    vehicles, transport: { kind: "tcp", basePort: opts.basePort }, fastBoot: true, autoFly: { pauseMs: PAUSE_MS }, logger,
  });
  vehicles.forEach((v, i) => say(`Vehicle ${v.sysid}: ${path.basename(MISSIONS[i % MISSIONS.length]!, ".waypoints")} on ${fleet.links[i]}`));
  for (const note of fleet.notes) say(`note: ${note}`);

  // A throw-away database with a demo user (administrator, pilot and reviewer: fly the drones, then see the Flights)
  // whose password is made up now and shown once; created with the same CLI an operator uses.
  // Removed when the demo exits, however it is stopped.
  const dataDir = demoTempDir().dir;
  const password = randomBytes(12).toString("base64url");
  const addUser = spawn(bin("tsx"), ["server/cli/user.ts", "--data-dir", dataDir, "add", "demo", "--role", "admin", "--role", "pilot", "--role", "reviewer"],
    { stdio: ["pipe", "ignore", "inherit"] });
  addUser.stdin.end(`${password}\n`);
  await exited(addUser);
  if (addUser.exitCode !== 0 || signals.requested()) {
    if (!signals.requested()) say(`Could not create the demo user (exit ${addUser.exitCode ?? addUser.signalCode}).`);
    await fleet.stop();
    return signals.requested() ? 0 : 1;
  }
  const serverArgs = ["server/main.ts", ...fleet.links.flatMap((l) => ["--link", l]), "--http-port", String(opts.httpPort),
    "--data-dir", dataDir];
  say(`Starting the server: tsx ${serverArgs.join(" ")}`);
  const server = run(bin("tsx"), serverArgs);
  say(`\nLive map: http://127.0.0.1:${opts.httpPort}/  sign in as demo / ${password}`
    + "\n(the drones take off a few seconds after boot; select one, take control and fly it from the Fly and Plan tabs;"
    + " this demo's accounts and flights live in a temporary directory, removed when it stops; Ctrl-C stops everything)\n");

  const why = await Promise.race([signals.stopped, exited(server).then(() => "server" as const)]);
  say(why === "server" ? `The server exited (${server.exitCode ?? server.signalCode}); stopping the vehicles.` : "Stopping...");
  await stopChildren([server]);
  await fleet.stop();
  say("Stopped.");
  return why === "server" && server.exitCode !== 0 ? 1 : 0;
}

const program = new Command()
  .name("demo")
  .description("Simulated police drones flying sample missions over London, the server, and the live map: all on this machine.")
  .option("--http-port <port>", "port of the web server and map", intOption(1, 65535), 8080)
  .option("--vehicles <n>", `how many drones, 1..${MAX_VEHICLES} (the first three fly the three sample missions; more fly copies beside them)`, intOption(1, MAX_VEHICLES), 3)
  .option("--base-port <port>", "TCP port of the first drone (the next ones count up), as ArduPilot SITL's 5760",
    intOption(1, 65535 - MAX_VEHICLES), BASE_PORT)
  .option("--no-build", "serve the web client already built in dist/client")
  .action(async (opts: DemoOptions) => {
    try {
      process.exitCode = await main(opts);
    } catch (err) {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  });

await program.parseAsync(process.argv);
