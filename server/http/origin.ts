import { isIP } from "node:net";
import type { IncomingMessage } from "node:http";

/**
 * Which requests may read this server. Browsers let any web page open a WebSocket to 127.0.0.1 or send
 * requests to a host name that resolves there (DNS rebinding), so:
 * - the Host header must be an IP address, "localhost", or a name the operator allowed (--allowed-host);
 * - a browser's Origin header, when present, must be this same host (the web client is served from here).
 * Non-browser clients (no Origin) are judged by Host alone.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(allowedHosts: string[]) {
    this.allowed = new Set(allowedHosts.map((h) => h.toLowerCase()));
  }

  /** Why the request is refused, or null when it may proceed. */
  refusal(req: Pick<IncomingMessage, "headers">): string | null {
    const host = req.headers.host;
    if (!host) return "missing Host header";
    const hostname = hostnameOf(host);
    if (!this.hostAllowed(hostname)) return `host ${hostname} is not allowed (start the server with --allowed-host ${hostname})`;
    const origin = req.headers.origin;
    if (origin === undefined) return null;
    let originHost: string;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      return `malformed Origin ${origin}`;
    }
    return originHost === host.toLowerCase() ? null : `cross-origin request from ${origin} refused`;
  }

  private hostAllowed(hostname: string): boolean {
    return isIP(hostname) !== 0 || hostname === "localhost" || this.allowed.has(hostname);
  }
}

/** "example.org:8080" -> "example.org", "[::1]:8080" -> "::1". */
function hostnameOf(host: string): string {
  const h = host.toLowerCase();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]"));
  const colon = h.lastIndexOf(":");
  return colon === -1 ? h : h.slice(0, colon);
}
