/**
 * Vehicle-side tools for the mission-control server: stand in for drones.
 * - default command: start N vehicles (built-in simulator, ArduPilot SITL in Docker, or an ArduPilot SITL binary)
 *   and print the links and the server command line:  npm run sitl -- --vehicles 3
 * - `replay`: play a recorded flight (.tlog) to a ground station as if the drone were live.
 *   npm run sitl -- replay test/fixtures/copter_flight_1.tlog --to udpout://127.0.0.1:14550 --speed 2
 * It is a CLI: it prints to stdout; link problems are logged to stderr.
 */
import { Command, InvalidArgumentError } from "commander";
import pino from "pino";
import { createLink, readTlogFile } from "../server/mavlink";
import type { MavLink } from "../server/mavlink";
import { TlogPlayer } from "./player";
import { addStartCommand } from "./start-command";

interface ReplayOptions {
  to: string;
  speed: number;
  loop: boolean;
  wait: boolean;
}

function parseSpeed(text: string): number {
  const speed = text === "max" ? Infinity : Number(text);
  if (!(speed > 0)) throw new InvalidArgumentError("expected a positive number, or max");
  return speed;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Listening links (and tcpout, which may still be connecting) need a ground station before packets can go anywhere. */
function firstPeer(link: MavLink, signal: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    const done = (peer: string | null): void => {
      link.off("peerConnected", onPeer);
      signal.removeEventListener("abort", onAbort);
      resolve(peer);
    };
    const onPeer = (peer: string): void => done(peer);
    const onAbort = (): void => done(null);
    link.on("peerConnected", onPeer);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

async function replay(file: string, opts: ReplayOptions): Promise<number> {
  const logger = pino({ level: "warn", base: { part: "sitl" } }, pino.destination(2));
  const link = createLink(opts.to, { id: "sitl", logger }); // a bad URL fails here, before any work
  const { entries, counters } = readTlogFile(file);
  if (entries.length === 0) {
    say(`${file}: no MAVLink packets found`);
    return 1;
  }
  const first = entries[0]!.timeUs;
  const span = (entries[entries.length - 1]!.timeUs - first) / 1000;
  say(`${file}: ${entries.length} packets over ${seconds(span)}, recorded ${new Date(first / 1000).toISOString()}` +
    (counters.crcErrors + counters.garbageBytes + counters.truncated > 0
      ? ` (skipped: ${counters.crcErrors} bad checksums, ${counters.garbageBytes} garbage bytes, ${counters.truncated} cut entry)`
      : ""));

  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let received = 0;
  link.on("frame", () => received++);
  try {
    const peer = link.kind === "udpout" || !opts.wait ? null : firstPeer(link, abort.signal);
    await link.start();
    const where = link.localAddress();
    if (peer !== null) {
      say(`Waiting for a ground station on ${opts.to}${where ? ` (bound ${where.host}:${where.port})` : ""}...`);
      const who = await peer;
      if (who === null) return 130;
      say(`Ground station connected: ${who}`);
    }
    const speedText = opts.speed === Infinity ? "maximum speed" : `${opts.speed}x speed`;
    say(`Replaying to ${opts.to} at ${speedText}${opts.loop ? ", looping (Ctrl-C to stop)" : ""}...`);
    const player = new TlogPlayer(entries, link, {
      speed: opts.speed,
      loop: opts.loop,
      signal: abort.signal,
      onPass: (n) => {
        if (opts.loop) say(`pass ${n} done, ${n * entries.length} packets sent`);
      },
    });
    const summary = await player.play();
    say(`${summary.stopped ? "Stopped" : "Done"}: sent ${summary.packetsSent} packets in ${seconds(summary.durationMs)}` +
      ` (${summary.passes} complete pass${summary.passes === 1 ? "" : "es"}); received ${received} packets from the ground station`);
    return summary.stopped ? 130 : 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await link.close();
    logger.flush();
  }
}

export function buildCli(): Command {
  const program = new Command()
    .name("sitl")
    .description("Vehicle-side tools for the drone mission-control server: stand in for drones.");
  addStartCommand(program, say);
  program.addHelpText("after", "\nWith no command, `start` runs: `npm run sitl -- start --help` lists its options (backends, vehicles, ports).");
  program
    .command("replay")
    .description("Play a recorded flight (.tlog) to a ground station with its original timing, as if the drone were flying now.")
    .argument("<file>", ".tlog recording ([8-byte big-endian time in µs][MAVLink packet] repeated), e.g. test/fixtures/copter_flight_1.tlog")
    .option("--to <url>", "where the ground station is: udpout://HOST:PORT or tcpin://HOST:PORT (see below)", "udpout://127.0.0.1:14550")
    .option("--speed <n>", "playback speed: 1 = real time, 10 = ten times faster, max = as fast as possible", parseSpeed, 1)
    .option("--loop", "start again from the beginning after the last packet, until Ctrl-C", false)
    .option("--no-wait", "with a listening --to (tcpin://, udpin://), start playing at once instead of waiting for a ground station")
    .addHelpText("after", `
Destinations (--to):
  udpout://HOST:PORT  send to a ground station listening with udpin://HOST:PORT
  tcpin://HOST:PORT   listen here; the ground station connects with tcpout://HOST:PORT.
                      Playback starts when it connects (unless --no-wait).
  tcpout://, udpin:// and serial:// work too (the same link URLs as the server's).

Examples:
  # server listens with udpin://0.0.0.0:14550
  npm run sitl -- replay test/fixtures/copter_flight_1.tlog --to udpout://127.0.0.1:14550
  # server connects out with tcpout://127.0.0.1:5760, like to ArduPilot SITL
  npm run sitl -- replay test/fixtures/copter_flight_1.tlog --to tcpin://127.0.0.1:5760 --speed 4 --loop

The packets are sent exactly as recorded (same system ids, sequence numbers and bytes); a summary is printed at the end.`)
    .action(async (file: string, opts: ReplayOptions) => {
      try {
        process.exitCode = await replay(file, opts);
      } catch (err) {
        // A missing file or a bad --to URL: one readable line, not a stack trace.
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    });
  return program;
}

await buildCli().parseAsync(process.argv);
