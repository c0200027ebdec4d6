import { parseLinkUrl } from "../url";
import type { MavLink } from "../types";
import type { LinkOptions } from "./base";
import { SerialLink } from "./serial";
import { TcpInLink } from "./tcp-in";
import { TcpOutLink } from "./tcp-out";
import { UdpInLink } from "./udp-in";
import { UdpOutLink } from "./udp-out";

export type { LinkOptions } from "./base";

/** A link for a URL (see parseLinkUrl); throws on a bad URL. Nothing is opened until start(). */
export function createLink(url: string, opts: LinkOptions): MavLink {
  const spec = parseLinkUrl(url);
  switch (spec.kind) {
    case "udpin": return new UdpInLink(url, spec.host, spec.port, opts);
    case "udpout": return new UdpOutLink(url, spec.host, spec.port, opts);
    case "tcpin": return new TcpInLink(url, spec.host, spec.port, opts);
    case "tcpout": return new TcpOutLink(url, spec.host, spec.port, opts);
    case "serial": return new SerialLink(url, spec.path, spec.baudRate, opts);
  }
}
