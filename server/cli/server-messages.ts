/**
 * What `npm start` prints when it cannot start: one line an operator can act on, not a stack trace nor the
 * whole --help.
 */

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
