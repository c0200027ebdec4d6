/**
 * Link URLs, MAVSDK's convention: udpin://HOST:PORT (listen), udpout://HOST:PORT, tcpin://HOST:PORT (listen),
 * tcpout://HOST:PORT (connect), serial://DEVICE:BAUD (serial:///dev/ttyUSB0:57600). IPv6 hosts in brackets.
 */
import { z } from "zod";
import type { LinkKind } from "../protocol";

export type NetworkLinkKind = Exclude<LinkKind, "serial">;

export type LinkSpec =
  | { kind: NetworkLinkKind; host: string; port: number }
  | { kind: "serial"; path: string; baudRate: number };

const NETWORK_KINDS: readonly NetworkLinkKind[] = ["udpin", "udpout", "tcpin", "tcpout"];
const LISTENING: ReadonlySet<LinkKind> = new Set<LinkKind>(["udpin", "tcpin"]);
const MIN_BAUD = 50;
const MAX_BAUD = 12_000_000;

function isNetworkKind(scheme: string): scheme is NetworkLinkKind {
  return (NETWORK_KINDS as readonly string[]).includes(scheme);
}

function bad(url: string, problem: string): Error {
  return new Error(`invalid link URL "${url}": ${problem}`);
}

/** "HOST:PORT" or "[V6]:PORT" -> parts; the port text is returned unchecked. */
function splitHostPort(url: string, rest: string): { host: string; portText: string | null } {
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0) throw bad(url, "unterminated IPv6 address (missing ']')");
    const after = rest.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) throw bad(url, `unexpected "${after}" after the IPv6 address`);
    return { host: rest.slice(1, close), portText: after === "" ? null : after.slice(1) };
  }
  const colon = rest.lastIndexOf(":");
  if (colon < 0) return { host: rest, portText: null };
  const host = rest.slice(0, colon);
  if (host.includes(":")) throw bad(url, "an IPv6 host must be written in brackets, e.g. [::1]:14550");
  return { host, portText: rest.slice(colon + 1) };
}

function parseNetwork(url: string, kind: NetworkLinkKind, rest: string): LinkSpec {
  if (rest.includes("/")) throw bad(url, "expected HOST:PORT with no path after it");
  const { host, portText } = splitHostPort(url, rest);
  const listening = LISTENING.has(kind);
  if (portText === null || portText === "") throw bad(url, `missing port (expected ${kind}://HOST:PORT)`);
  if (!/^\d+$/.test(portText)) throw bad(url, `port "${portText}" is not a number`);
  const port = Number(portText);
  if (port > 65535 || (port === 0 && !listening)) {
    throw bad(url, `port ${port} out of range (${listening ? "0" : "1"}..65535)`);
  }
  if (host === "") {
    if (!listening) throw bad(url, "missing host");
    // A listening link with no host listens on every IPv4 interface, as MAVSDK's udpin://:14550 does.
    return { kind, host: "0.0.0.0", port };
  }
  return { kind, host, port };
}

function parseSerial(url: string, rest: string): LinkSpec {
  const colon = rest.lastIndexOf(":");
  if (colon <= 0) throw bad(url, "expected serial://DEVICE:BAUD, e.g. serial:///dev/ttyUSB0:57600");
  const path = rest.slice(0, colon);
  const baudText = rest.slice(colon + 1);
  const baudRate = Number(baudText);
  if (!/^\d+$/.test(baudText) || baudRate < MIN_BAUD || baudRate > MAX_BAUD) {
    throw bad(url, `bad baud rate "${baudText}" (expected a whole number, e.g. 57600 or 115200)`);
  }
  return { kind: "serial", path, baudRate };
}

/** Parses a link URL or throws an Error naming the URL and what is wrong with it. */
export function parseLinkUrl(url: string): LinkSpec {
  const match = /^([a-z]+):\/\/(.*)$/i.exec(url.trim());
  if (!match) throw bad(url, "expected SCHEME://..., e.g. udpin://0.0.0.0:14550");
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  if (scheme === "serial") return parseSerial(url, rest);
  if (isNetworkKind(scheme)) return parseNetwork(url, scheme, rest);
  throw bad(url, `unknown scheme "${scheme}" (expected udpin, udpout, tcpin, tcpout or serial)`);
}

/** The URL back from its parts (IPv6 hosts bracketed). */
export function formatLinkUrl(spec: LinkSpec): string {
  if (spec.kind === "serial") return `serial://${spec.path}:${spec.baudRate}`;
  const host = spec.host.includes(":") ? `[${spec.host}]` : spec.host;
  return `${spec.kind}://${host}:${spec.port}`;
}

/** zod schema of a link URL string, for configuration: the parse error becomes the issue's message. */
export const linkUrlSchema = z.string().superRefine((url, ctx) => {
  try {
    parseLinkUrl(url);
  } catch (err) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: err instanceof Error ? err.message : String(err) });
  }
});
