/** What the two UDP transports share: the socket they read and send through, and how a sender is named. */
import { createSocket } from "node:dgram";
import { isIPv6 } from "node:net";
import type { PeerId } from "../types";
import { describeSocketError, hostPort } from "./errors";

/** Room for bursts (a replay, a parameter download) while the socket's reader is busy; the kernel may cap it. */
export const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export function udpPeer(address: string, port: number): PeerId {
  return `udp:${hostPort(address, port)}`;
}

/**
 * The part of a UDP socket the links use. Two kinds: Node's own socket, read by the event loop (`nodeUdpSocket`,
 * the default), and one read by a thread of its own (`threadedUdpSockets`), which the server uses for its links.
 * Node's event loop takes at most 32 datagrams from a socket per turn of the loop: with 200 vehicles (7,000
 * datagrams/s) a loop whose turns take over 4.5 ms falls behind, and the kernel drops what its buffer cannot hold.
 */
export interface UdpSocket {
  /** Binds; rejects with a readable message (EADDRINUSE, ...). Bind once. */
  bind(host: string, port: number): Promise<void>;
  /** Every datagram, in the order received. `msg` may be a view into a larger buffer: copy what is kept. */
  onMessage(handler: (msg: Buffer, address: string, port: number) => void): void;
  /** Socket errors after bind, as readable messages; null when a problem has passed (a thread restarted). */
  onError(handler: (message: string | null) => void): void;
  /** Datagrams dropped before they were handed to onMessage (a bounded queue was full), as they happen. */
  onDropped(handler: (count: number) => void): void;
  /** `onError` hears of a failed send, with a readable message. */
  send(packet: Buffer, port: number, address: string): void;
  address(): { host: string; port: number } | null;
  close(): Promise<void>;
}

/** Makes an unbound socket for a host (udp6 for an IPv6 literal, else udp4). */
export type UdpSocketFactory = (host: string) => UdpSocket;

/** Node's own UDP socket, read on the event loop. */
export const nodeUdpSocket: UdpSocketFactory = (host) => {
  const socket = createSocket({ type: isIPv6(host) ? "udp6" : "udp4" });
  let bound = false;
  let closed = false;
  let onError = (_message: string | null): void => undefined;
  let where = "";
  return {
    bind: (bindHost, port) => new Promise((resolve, reject) => {
      where = hostPort(bindHost, port);
      const failed = (err: Error): void => reject(new Error(describeSocketError(err, where)));
      socket.once("error", failed);
      socket.bind(port, bindHost, () => {
        socket.off("error", failed);
        bound = true;
        try {
          socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
        } catch {
          // Not fatal: the default buffer works at normal telemetry rates.
        }
        socket.on("error", (err) => onError(describeSocketError(err, where)));
        resolve();
      });
    }),
    onMessage: (handler) => socket.on("message", (msg, rinfo) => handler(msg, rinfo.address, rinfo.port)),
    onError: (handler) => { onError = handler; },
    onDropped: () => undefined,
    send: (packet, port, address) => {
      if (closed) return;
      socket.send(packet, port, address, (err) => {
        if (err) onError(describeSocketError(err, hostPort(address, port)));
      });
    },
    address: () => {
      if (!bound || closed) return null;
      const a = socket.address();
      return { host: a.address, port: a.port };
    },
    close: () => new Promise((resolve) => {
      if (closed) { resolve(); return; }
      closed = true;
      try {
        socket.close(() => resolve());
      } catch {
        resolve(); // never bound
      }
    }),
  };
};
