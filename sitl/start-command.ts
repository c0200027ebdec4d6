/**
 * The default command of `npm run sitl`: start vehicles and print how to connect the server. Part of the CLI
 * (sitl/main.ts): it writes to stdout through `say`; the launchers log problems to stderr.
 */
import type { Command } from "commander";
import pino from "pino";
import { MAX_VEHICLES, checkStartOptions, DEFAULTS, runStart } from "./launch";
import type { RawStartOptions } from "./launch";

export function addStartCommand(program: Command, say: (line: string) => void): void {
  program
    .command("start", { isDefault: true })
    .description("Start simulated or real ArduPilot vehicles and print the links to give the server (the default command).")
    .option("--vehicles <n>", `how many vehicles, 1..${MAX_VEHICLES}`, DEFAULTS.vehicles)
    .option("--docker", "run ArduPilot SITL (ArduCopter 4.0) in Docker containers of the public image radarku/ardupilot-sitl")
    .option("--binary <path>", "run your own ArduPilot SITL build, e.g. ardupilot/build/sitl/bin/arducopter, one process per vehicle")
    .option("--home <lat,lon,alt>", "home of vehicle 0 (degrees, degrees, metres AMSL); the others stand 150 m apart (default 51.5074,-0.1278,10, or the --mission's home)")
    .option("--base-port <port>", "vehicle i serves MAVLink on TCP base-port + 10·i, as ArduPilot SITL instances do", DEFAULTS.basePort)
    .option("--sysid-base <n>", "system id of vehicle 0; vehicle i gets sysid-base + i", DEFAULTS.sysidBase)
    .option("--speedup <n>", "simulated time runs n times faster than real time")
    .option("--udp <host:port>", "built-in only: every vehicle sends to this one UDP address instead of serving TCP (the server listens with udpin://)")
    .option("--fast-boot", "built-in only: boot ten times faster than the recorded ArduCopter (armable after ~2.4 s instead of ~24 s)")
    .option("--mission <file>", "built-in only: preload this .waypoints mission (vehicles i>0 get copies moved to their homes) and fly it again and again")
    .option("--faults <json|file>", "built-in only: fault schedule, e.g. '[{\"at\":30000,\"fault\":\"silence\",\"durationMs\":8000}]' for every vehicle, or {\"0\":[...]} per vehicle index")
    .option("--defaults <files>", "binary only: ArduPilot parameter defaults, comma-separated, e.g. ardupilot/Tools/autotest/default_params/copter.parm")
    .option("--param-name <name>", "docker/binary: the system id parameter, auto (try MAV_SYSID, then SYSID_THISMAV), MAV_SYSID or SYSID_THISMAV", DEFAULTS.paramName)
    .option("--work-dir <dir>", "docker/binary: where each SITL keeps its eeprom.bin and log, and the compose file goes (default: a dmc-sitl folder in the system temp directory)")
    .addHelpText("after", `
Backends:
  (default)       built-in simulated ArduCopter in this process: no install, behaves on the wire like the recorded
                  ArduCopter 4.7 SITL (boot, arming checks, modes, mission protocol, AUTO, faults).
  --docker        ArduPilot's real SITL in Docker (needs a running Docker engine); ports published on 127.0.0.1 only.
  --binary PATH   ArduPilot's real SITL built from source; note that it listens on every interface, not only 127.0.0.1.
With --docker and --binary every SITL starts as sysid 1: the launcher sets MAV_SYSID (or SYSID_THISMAV on older
firmware) over MAVLink and reboots the vehicle, before the server connects.

Examples:
  npm run sitl -- --vehicles 3 --fast-boot
  npm run sitl -- --mission missions/search-pattern-hyde-park.waypoints --fast-boot
  npm run sitl -- --docker --vehicles 2
  npm run sitl -- --binary ~/ardupilot/build/sitl/bin/arducopter --defaults ~/ardupilot/Tools/autotest/default_params/copter.parm --vehicles 3
Then: npm start -- --link tcpout://127.0.0.1:5760 --link tcpout://127.0.0.1:5770 ...  (printed for you)`)
    .action(async (raw: RawStartOptions) => {
      const checked = checkStartOptions(raw);
      if (!checked.ok) {
        for (const p of checked.problems) process.stderr.write(`error: ${p}\n`);
        process.exitCode = 1;
        return;
      }
      const logger = pino({ level: "warn", base: { part: "sitl" } }, pino.destination(2));
      const abort = new AbortController();
      const onSignal = (): void => abort.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        process.exitCode = await runStart(checked.options, { logger, out: say, signal: abort.signal });
      } catch (err) {
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        logger.flush();
      }
    });
}
