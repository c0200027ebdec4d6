/**
 * What `npm start` prints when it cannot start: one line an operator can act on, not a stack trace nor the
 * whole --help.
 */
import type { FirstAdminOutcome } from "../auth";

/** The configuration problems, then one line pointing to --help (which lists every option). */
export function configProblemsText(problems: readonly string[]): string {
  return `Configuration problems:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`
    + "Every option and its environment variable: npm start -- --help\n";
}

interface SocketError {
  code?: unknown;
  syscall?: unknown;
  port?: unknown;
  address?: unknown;
}

function socketError(err: unknown): SocketError | null {
  return typeof err === "object" && err !== null && "code" in err ? err as SocketError : null;
}

/**
 * The web server could not listen: a sentence naming the port and what to do, or null when the error is not
 * about listening (the caller logs it in full).
 */
export function listenProblem(err: unknown, host: string, port: number): string | null {
  const e = socketError(err);
  if (e === null || e.syscall !== "listen") return null;
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  switch (e.code) {
    case "EADDRINUSE":
      return `port ${port} (${where}) is already in use, perhaps by another copy of this server: stop it, or choose `
        + "another port with --http-port (DMC_HTTP_PORT)";
    case "EACCES":
      return `not allowed to listen on port ${port} (${where}): ports below 1024 need privileges; choose another `
        + "with --http-port (DMC_HTTP_PORT)";
    case "EADDRNOTAVAIL":
      return `address ${host} is not an address of this machine: choose another with --http-host (DMC_HTTP_HOST)`;
    default:
      return null;
  }
}

/** A MAVLink link could not listen ("address 0.0.0.0:14550 already in use", from mavlink/links): what to do. */
export function linkListenProblem(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const m = /^address (\S+) (already in use|not available on this machine)$/.exec(err.message);
  if (!m) return null;
  return m[2] === "already in use"
    ? `MAVLink link address ${m[1]} is already in use (MAVProxy, a ground station, or another copy of this server?): `
      + "stop that program, or change --link (DMC_LINKS)"
    : `MAVLink link address ${m[1]} is not an address of this machine: change --link (DMC_LINKS)`;
}

/** What the terminal is told about the first administrator at start, or null (nothing, or a log line). */
export function firstAdminText(outcome: FirstAdminOutcome): string | null {
  switch (outcome.kind) {
    case "none":
      return `\n${outcome.howTo}\n`;
    case "invalid":
      return `\n${outcome.message}\n`;
    case "created":
    case "already":
      return null;
  }
}

/** Where the live map is, once started (a wildcard address is shown as localhost, which a browser can open). */
export function startedText(config: { httpHost: string; links: readonly string[] }, httpPort: number): string {
  const shown = config.httpHost === "0.0.0.0" || config.httpHost === "::" ? "localhost" : config.httpHost;
  return `\nLive map: http://${shown}:${httpPort}/\n`
    + `MAVLink links: ${config.links.join(", ")}\n`
    + (config.httpHost === "127.0.0.1" ? "Web server on loopback only; use --http-host 0.0.0.0 to serve other screens.\n" : "")
    + "\n";
}
