/** What the two UDP transports share. */
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { isIPv6 } from "node:net";
import type { PeerId } from "../types";
import { describeSocketError, hostPort } from "./errors";

/** Room for bursts (a replay, a parameter download) while the event loop is busy; the kernel may cap it. */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export function udpPeer(rinfo: RemoteInfo): PeerId {
  return `udp:${hostPort(rinfo.address, rinfo.port)}`;
}

export function createUdpSocket(host: string): Socket {
  return createSocket({ type: isIPv6(host) ? "udp6" : "udp4" });
}

/** Binds, rejecting with a readable message (EADDRINUSE, ...) instead of an 'error' event nobody handles. */
export function bindUdp(socket: Socket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(new Error(describeSocketError(err, hostPort(host, port))));
    socket.once("error", onError);
    socket.bind(port, host, () => {
      socket.off("error", onError);
      try {
        socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
      } catch {
        // Not fatal: the default buffer works at normal telemetry rates.
      }
      resolve();
    });
  });
}

export function closeUdp(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}

export function boundAddress(socket: Socket | null): { host: string; port: number } | null {
  if (socket === null) return null;
  try {
    const a = socket.address();
    return { host: a.address, port: a.port };
  } catch {
    return null; // not bound (yet / any more)
  }
}
