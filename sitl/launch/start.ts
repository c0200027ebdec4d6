/**
 * `npm run sitl` (the default command): start N vehicles with the chosen backend, print the links and the server
 * command line, run until Ctrl-C, then stop everything. `out` is the CLI's stdout.
 */
import type { Logger } from "pino";
import { launchBinary } from "./binary";
import { builtinVehicles, launchBuiltin, parseFaults, readMission } from "./builtin";
import { launchDocker, runSync } from "./docker";
import { DEFAULT_HOME } from "./homes";
import { serverCommand } from "./options";
import type { StartOptions } from "./options";
import { spawnToLogFile } from "./process";
import type { Launched } from "./types";

const BACKEND_NAMES = {
  builtin: ["built-in simulated ArduCopter", "built-in simulated ArduCopters"],
  docker: ["ArduPilot SITL in Docker (radarku/ardupilot-sitl)", "ArduPilot SITLs in Docker (radarku/ardupilot-sitl)"],
  binary: ["ArduPilot SITL binary", "ArduPilot SITL binaries"],
} as const;

function vehiclesText(o: StartOptions): string {
  return `${o.vehicles} ${BACKEND_NAMES[o.backend][o.vehicles === 1 ? 0 : 1]}`;
}

export async function launch(o: StartOptions, logger: Logger, signal: AbortSignal): Promise<Launched> {
  const home = o.home ?? DEFAULT_HOME;
  switch (o.backend) {
    case "builtin": {
      const items = o.mission === undefined ? null : readMission(o.mission);
      const vehicles = builtinVehicles(o.vehicles, o.sysidBase, o.home ?? (items === null ? DEFAULT_HOME : null), items);
      if (o.faults !== undefined) {
        parseFaults(o.faults, o.vehicles).forEach((faults, i) => {
          if (faults !== undefined) vehicles[i]!.faults = faults;
        });
      }
      return launchBuiltin({
        vehicles,
        transport: o.udp === null ? { kind: "tcp", basePort: o.basePort } : { kind: "udp", target: `${o.udp.host}:${o.udp.port}` },
        fastBoot: o.fastBoot,
        ...(o.speedup !== undefined ? { speedup: o.speedup } : {}),
        ...(items !== null ? { autoFly: { pauseMs: 10_000 } } : {}),
        logger,
      });
    }
    case "binary":
      return launchBinary({
        binary: o.binary!, vehicles: o.vehicles, home, basePort: o.basePort, sysidBase: o.sysidBase, paramName: o.paramName,
        ...(o.speedup !== undefined ? { speedup: o.speedup } : {}),
        ...(o.defaults !== undefined ? { defaults: o.defaults } : {}),
        ...(o.workDir !== undefined ? { workDir: o.workDir } : {}),
      }, { spawn: spawnToLogFile, logger, signal });
    case "docker":
      return launchDocker({
        vehicles: o.vehicles, home, basePort: o.basePort, sysidBase: o.sysidBase, paramName: o.paramName,
        ...(o.speedup !== undefined ? { speedup: o.speedup } : {}),
        ...(o.workDir !== undefined ? { workDir: o.workDir } : {}),
      }, { run: runSync, logger, signal });
  }
}

/** The links and what to do with them, as the user reads it. */
export function summary(o: StartOptions, launched: Launched): string[] {
  const udp = o.backend === "builtin" && o.udp !== null;
  // A UDP stream from the vehicles is met by a listening server; the fleet reports udpin on all interfaces.
  const links = udp ? [`udpin://${o.udp!.host}:${o.udp!.port}`] : launched.links;
  return [
    `${vehiclesText(o)} running, system ids ${launched.sysids.join(", ")}.`,
    "",
    "Links for the server:",
    ...links.map((l) => `  ${l}`),
    "",
    "Start the server in another terminal with:",
    `  ${serverCommand(links)}`,
    ...(launched.notes.length > 0 ? ["", ...launched.notes.map((n) => `note: ${n}`)] : []),
    "",
    "Ctrl-C stops the vehicles.",
  ];
}

/** Runs until the signal aborts; returns the exit code. */
export async function runStart(o: StartOptions, deps: { logger: Logger; out: (line: string) => void; signal: AbortSignal }): Promise<number> {
  deps.out(`Starting ${vehiclesText(o)}...`);
  const launched = await launch(o, deps.logger, deps.signal);
  if (deps.signal.aborted) {
    await launched.stop();
    return 130;
  }
  for (const line of summary(o, launched)) deps.out(line);
  await new Promise<void>((resolve) => deps.signal.addEventListener("abort", () => resolve(), { once: true }));
  deps.out("Stopping...");
  await launched.stop();
  deps.out("Stopped.");
  return 0; // Ctrl-C is how this command normally ends
}
