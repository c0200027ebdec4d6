/**
 * UDP sockets read by a thread of their own (udp-worker.ts), for links that carry a fleet.
 *
 * Why: Node's event loop takes at most 32 datagrams from a socket per turn. 200 vehicles send ~7,000 datagrams/s,
 * so any stretch where the loop's turns take over ~4.5 ms (screens signing in together, a burst of alerts) leaves
 * datagrams in the kernel, whose buffer (8 MiB, about one second of the fleet) then drops them: vehicles falsely
 * lost, gaps in the recordings. The thread reads them as they come and hands them to the event loop in batches
 * of at most a few ms; a busy event loop then takes a batch late, whole, instead of the kernel dropping it.
 *
 * What waits for the event loop is bounded (datagrams and bytes, default 100,000 and 16 MiB: over ten seconds of
 * 200 vehicles); beyond it datagrams are dropped in the thread and counted in the link's droppedDatagrams. Sends
 * go through the thread too (the one socket: vehicles answer to the port they hear from).
 */
import type { Worker } from "node:worker_threads";
import { describeSocketError, hostPort } from "./errors";
import { RECEIVE_BUFFER_BYTES, type UdpSocket, type UdpSocketFactory } from "./udp";
import { isIPv6 } from "node:net";

/** What the thread is started with (workerData.data). */
export interface UdpThreadData {
  type: "udp4" | "udp6";
  receiveBufferBytes: number;
  /** A batch is handed over at most this long after its first datagram (ms). */
  flushMs: number;
  /** ... or when it holds this many. */
  maxBatch: number;
  maxQueuedDatagrams: number;
  maxQueuedBytes: number;
  /** Int32 [datagrams, bytes] the event loop has taken: the thread reads them to bound what waits. */
  taken: SharedArrayBuffer;
}

export type ToUdpThread =
  | { op: "bind"; host: string; port: number }
  | { op: "send"; packet: Uint8Array; port: number; address: string }
  | { op: "close" };

export type FromUdpThread =
  | { op: "bound"; host: string; port: number }
  | { op: "bindFailed"; code: string; message: string }
  | {
    op: "batch"; bytes: ArrayBuffer;
    /** Per datagram: index into addresses/ports, offset in bytes, length. */
    meta: Uint32Array; addresses: string[]; ports: number[];
    /** Datagrams dropped since the last batch (the queue was full). */
    dropped: number;
  }
  | { op: "error"; code: string; message: string }
  | { op: "sendFailed"; code: string; message: string; address: string; port: number }
  | { op: "closed" };

export interface UdpThreadOptions {
  flushMs?: number;
  maxBatch?: number;
  maxQueuedDatagrams?: number;
  maxQueuedBytes?: number;
}

/** Starts the thread (the composition root knows how workers start: as TypeScript in tests, bundled in production). */
export type StartUdpThread = (data: UdpThreadData) => Worker;

/** A factory of sockets each read in a thread of its own. */
export function threadedUdpSockets(start: StartUdpThread, options: UdpThreadOptions = {}): UdpSocketFactory {
  return (host) => new ThreadedUdpSocket(start, isIPv6(host) ? "udp6" : "udp4", options);
}

function codeError(e: { code: string; message: string }): Error {
  return Object.assign(new Error(e.message), { code: e.code });
}

/** A thread that stopped unexpectedly is started again this long after, on the same port, until it binds. */
const RESTART_MS = 1000;

class ThreadedUdpSocket implements UdpSocket {
  private worker: Worker | null = null;
  private readonly taken = new Int32Array(new SharedArrayBuffer(8));
  private bound: { host: string; port: number } | null = null;
  private onMessageHandler: (msg: Buffer, address: string, port: number) => void = () => undefined;
  private onErrorHandler: (message: string | null) => void = () => undefined;
  private onDroppedHandler: (count: number) => void = () => undefined;
  private closing: Promise<void> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private where = "";

  constructor(private readonly start: StartUdpThread, private readonly type: "udp4" | "udp6", private readonly options: UdpThreadOptions) {}

  bind(host: string, port: number): Promise<void> {
    if (this.worker !== null || this.bound !== null) return Promise.reject(new Error("socket already bound"));
    this.where = hostPort(host, port);
    return this.spawn(host, port);
  }

  /** Starts the thread and binds its socket; resolves once bound. */
  private spawn(host: string, port: number): Promise<void> {
    // What the event loop had not taken from a thread that stopped is gone with it: the count starts again.
    Atomics.store(this.taken, 0, 0);
    Atomics.store(this.taken, 1, 0);
    const worker = this.start({
      type: this.type,
      receiveBufferBytes: RECEIVE_BUFFER_BYTES,
      flushMs: this.options.flushMs ?? 2,
      maxBatch: this.options.maxBatch ?? 256,
      maxQueuedDatagrams: this.options.maxQueuedDatagrams ?? 100_000,
      maxQueuedBytes: this.options.maxQueuedBytes ?? 16 * 1024 * 1024,
      taken: this.taken.buffer as SharedArrayBuffer,
    });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      let settled = false;
      worker.on("message", (message: FromUdpThread) => {
        if (message.op === "bound") {
          this.bound = { host: message.host, port: message.port };
          // Problems name the port actually bound (the URL may ask for any, port 0).
          this.where = hostPort(message.host, message.port);
          settled = true;
          resolve();
        } else if (message.op === "bindFailed") {
          settled = true;
          void worker.terminate();
          reject(new Error(describeSocketError(codeError(message), this.where)));
        } else {
          this.fromThread(message);
        }
      });
      worker.on("error", (err) => {
        if (!settled) { settled = true; reject(new Error(`${this.where}: UDP thread failed: ${err.message}`)); return; }
        this.onErrorHandler(`${this.where}: UDP thread failed: ${err.message}`);
      });
      worker.on("exit", (code) => {
        if (this.worker === worker) this.worker = null;
        if (!settled) { settled = true; reject(new Error(`${this.where}: UDP thread stopped (exit code ${code})`)); return; }
        const last = this.bound;
        this.bound = null;
        if (this.closing !== null || last === null) return;
        this.onErrorHandler(`${this.where}: UDP thread stopped (exit code ${code}): nothing is received until it restarts`);
        this.restart(last);
      });
      this.post({ op: "bind", host, port });
    });
  }

  /** A new thread on the port the stopped one had (vehicles sending there are heard again), retried until it binds. */
  private restart(at: { host: string; port: number }): void {
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.closing !== null) return;
      this.spawn(at.host, at.port).then(() => this.onErrorHandler(null), (err: unknown) => {
        if (this.closing !== null) return;
        this.onErrorHandler(`${this.where}: UDP thread could not restart: ${err instanceof Error ? err.message : String(err)}`);
        this.restart(at);
      });
    }, RESTART_MS);
  }

  onMessage(handler: (msg: Buffer, address: string, port: number) => void): void {
    this.onMessageHandler = handler;
  }

  onError(handler: (message: string | null) => void): void {
    this.onErrorHandler = handler;
  }

  onDropped(handler: (count: number) => void): void {
    this.onDroppedHandler = handler;
  }

  send(packet: Buffer, port: number, address: string): void {
    if (this.closing !== null || this.bound === null) return;
    // Copied by postMessage: the caller may reuse its buffer.
    this.post({ op: "send", packet, port, address });
  }

  address(): { host: string; port: number } | null {
    return this.closing === null ? this.bound : null;
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const worker = this.worker;
    if (worker === null) return;
    // Batches still on their way are delivered first; the thread answers "closed" once its socket is.
    await new Promise<void>((resolve) => {
      const done = (): void => resolve();
      worker.once("exit", done);
      worker.on("message", (m: FromUdpThread) => { if (m.op === "closed") void worker.terminate(); });
      this.post({ op: "close" });
    });
  }

  private post(message: ToUdpThread): void {
    this.worker?.postMessage(message);
  }

  private fromThread(message: Exclude<FromUdpThread, { op: "bound" | "bindFailed" }>): void {
    switch (message.op) {
      case "batch": return this.deliver(message);
      case "error": return this.onErrorHandler(describeSocketError(codeError(message), this.where));
      case "sendFailed": return this.onErrorHandler(describeSocketError(codeError(message), hostPort(message.address, message.port)));
      case "closed": return;
    }
  }

  private deliver(batch: Extract<FromUdpThread, { op: "batch" }>): void {
    const { meta, addresses, ports } = batch;
    // Counted as taken before the handlers run: the thread's bound is on what waits, whatever a handler does.
    Atomics.add(this.taken, 0, meta.length / 3);
    Atomics.add(this.taken, 1, batch.bytes.byteLength);
    if (batch.dropped > 0) this.onDroppedHandler(batch.dropped);
    const all = Buffer.from(batch.bytes);
    for (let i = 0; i < meta.length; i += 3) {
      const start = meta[i + 1]!;
      const sender = meta[i]!;
      this.onMessageHandler(all.subarray(start, start + meta[i + 2]!), addresses[sender]!, ports[sender]!);
    }
  }
}
