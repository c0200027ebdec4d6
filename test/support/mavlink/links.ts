/** For the link tests only: waiting on link events with a timeout, and sample packets. */
import pino from "pino";
import type { LinkStatus } from "../../../server/protocol";
import { MavlinkEncoder } from "../../../server/mavlink";
import type { LinkEvents, MavLink } from "../../../server/mavlink";

export const silent = pino({ level: "silent" });

export function nextEvent<E extends keyof LinkEvents>(
  link: MavLink, event: E, accept: (...args: Parameters<LinkEvents[E]>) => boolean = () => true, timeoutMs = 2500,
): Promise<Parameters<LinkEvents[E]>> {
  return new Promise((resolve, reject) => {
    const listener = ((...args: Parameters<LinkEvents[E]>) => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      link.off(event, listener);
      resolve(args);
    }) as unknown as LinkEvents[E];
    const timer = setTimeout(() => {
      link.off(event, listener);
      reject(new Error(`${link.url}: no ${String(event)} within ${timeoutMs} ms (status ${JSON.stringify(link.status())})`));
    }, timeoutMs);
    link.on(event, listener);
  });
}

export function statusWhere(link: MavLink, accept: (s: LinkStatus) => boolean): Promise<LinkStatus> {
  if (accept(link.status())) return Promise.resolve(link.status());
  return nextEvent(link, "status", accept).then(([s]) => s);
}

export function heartbeats(sysid: number, count: number): Buffer[] {
  const encoder = new MavlinkEncoder({ sysid, compid: 1 });
  return Array.from({ length: count }, () => encoder.encode({ kind: "gcsHeartbeat" }));
}

export function urlOf(kind: string, link: MavLink): string {
  const a = link.localAddress();
  if (a === null) throw new Error(`${link.url} is not bound`);
  return `${kind}://127.0.0.1:${a.port}`;
}

/** Waits until `check` holds (for counters, which change without an event). */
export async function until(what: string, check: () => boolean, timeoutMs = 2500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets datagrams in flight on loopback arrive, before checking that something did not happen. */
export function settle(ms = 50): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
