/** Socket errors as sentences a pilot can act on, e.g. "connection refused by 127.0.0.1:5760". */
export function describeSocketError(err: unknown, where: string): string {
  const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : "";
  switch (code) {
    case "ECONNREFUSED": return `connection refused by ${where}`;
    case "ECONNRESET": return `connection reset by ${where}`;
    case "EPIPE": return `connection to ${where} broken`;
    case "ETIMEDOUT": return `connection to ${where} timed out`;
    case "EHOSTUNREACH": return `host of ${where} unreachable`;
    case "ENETUNREACH": return `network of ${where} unreachable`;
    case "ENOTFOUND":
    case "EAI_AGAIN": return `host of ${where} not found`;
    case "EADDRINUSE": return `address ${where} already in use`;
    case "EADDRNOTAVAIL": return `address ${where} not available on this machine`;
    case "EACCES": return `permission denied for ${where}`;
    default: return `${where}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** "host:port", with IPv6 hosts bracketed. */
export function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
