import { BlockList, isIP } from "node:net";
import type { IncomingMessage } from "node:http";
import { NAMED_PROXY_RANGES, trustProxyProblem } from "../config";

/** "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) -> "10.0.0.1". */
function plainAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m?.[1] ?? address;
}

function trustList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const problem = trustProxyProblem(entry);
    if (problem !== null) throw new Error(`--trust-proxy ${problem}`);
    const ranges = Object.hasOwn(NAMED_PROXY_RANGES, entry) ? NAMED_PROXY_RANGES[entry] : undefined;
    if (ranges) {
      for (const [net, bits] of ranges) list.addSubnet(net, bits, isIP(net) === 4 ? "ipv4" : "ipv6");
      continue;
    }
    const [address = "", bits] = entry.split("/");
    const type = isIP(address) === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

/** The first value of a header a proxy may have appended to ("https, http" -> "https"). */
function firstValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const first = text?.split(",")[0]?.trim();
  return first ? first : undefined;
}

type Req = Pick<IncomingMessage, "headers"> & { socket?: { remoteAddress?: string | undefined } };

/**
 * Which requests may read this server. Browsers let any web page open a WebSocket to 127.0.0.1 or send
 * requests to a host name that resolves there (DNS rebinding), so:
 * - the Host header must be an IP address, "localhost", or a name the operator allowed (--allowed-host);
 * - a browser's Origin header, when present, must be this same host (the web client is served from here).
 * Non-browser clients (no Origin) are judged by Host alone. Behind a reverse proxy the operator trusts
 * (--trust-proxy), the browser's host and scheme are the proxy's X-Forwarded-Host and X-Forwarded-Proto.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;
  private readonly proxies: BlockList;
  private readonly anyProxy: boolean;

  constructor(allowedHosts: string[], trustedProxies: readonly string[] = []) {
    this.allowed = new Set(allowedHosts.map((h) => h.toLowerCase()));
    this.proxies = trustList(trustedProxies);
    this.anyProxy = trustedProxies.length > 0;
  }

  /** Whether a peer is a reverse proxy whose X-Forwarded-* headers are believed (express's "trust proxy"). */
  trustsProxy(address: string | undefined): boolean {
    if (!this.anyProxy || !address) return false;
    const plain = plainAddress(address);
    const family = isIP(plain);
    return family !== 0 && this.proxies.check(plain, family === 4 ? "ipv4" : "ipv6");
  }

  /** Why the request is refused, or null when it may proceed. */
  refusal(req: Req): string | null {
    const viaProxy = this.trustsProxy(req.socket?.remoteAddress);
    const host = (viaProxy ? firstValue(req.headers["x-forwarded-host"]) : undefined) ?? req.headers.host;
    if (!host) return "missing Host header";
    const hostname = hostnameOf(host);
    if (!this.hostAllowed(hostname)) return `host ${hostname} is not allowed (start the server with --allowed-host ${hostname})`;
    const origin = req.headers.origin;
    if (origin === undefined) return null;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return `malformed Origin ${origin}`;
    }
    const proto = viaProxy ? firstValue(req.headers["x-forwarded-proto"])?.toLowerCase() : undefined;
    const scheme = proto === undefined ? url.protocol : `${proto}:`;
    return url.protocol === scheme && sameHost(url.host, scheme, host) ? null : `cross-origin request from ${origin} refused`;
  }

  private hostAllowed(hostname: string): boolean {
    return isIP(hostname) !== 0 || hostname === "localhost" || this.allowed.has(hostname);
  }
}

/** Compared as URLs: case, and a scheme's default port written or not ("mc.example:443" is "mc.example" over https). */
function sameHost(originHost: string, scheme: string, host: string): boolean {
  try {
    return new URL(`${scheme}//${host}`).host === originHost;
  } catch {
    return false;
  }
}

/** "example.org:8080" -> "example.org", "[::1]:8080" -> "::1". */
function hostnameOf(host: string): string {
  const h = host.toLowerCase();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]"));
  const colon = h.lastIndexOf(":");
  return colon === -1 ? h : h.slice(0, colon);
}
