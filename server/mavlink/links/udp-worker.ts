/**
 * A UDP socket read in a thread of its own (see udp-thread.ts). This thread does nothing else, so its event loop
 * turns as fast as datagrams come and the kernel's buffer never fills while the server's event loop is busy.
 * Datagrams are copied into batches, each one message to the event loop, at most every `flushMs`. What the event
 * loop has not taken yet is bounded (`maxQueuedDatagrams`, `maxQueuedBytes`, read through shared counters): past
 * that, datagrams are dropped here and counted, never queued without end.
 */
import { createSocket } from "node:dgram";
import type { RemoteInfo } from "node:dgram";
import { parentPort, workerData } from "node:worker_threads";
import type { ToUdpThread, FromUdpThread, UdpThreadData } from "./udp-thread";

/** The largest UDP payload: a batch's staging buffer always has room for one more datagram after a flush. */
const MAX_DATAGRAM = 65_535;
const STAGING_BYTES = 4 * MAX_DATAGRAM;

const port = parentPort;
if (port === null) throw new Error("udp-worker runs as a worker thread");
const data = (workerData as { data: UdpThreadData }).data;
/** [datagrams taken, bytes taken] by the event loop: both wrap at 2^32, differences are taken modulo. */
const taken = new Int32Array(data.taken);
const socket = createSocket({ type: data.type });

let postedDatagrams = 0;
let postedBytes = 0;
const staging = Buffer.allocUnsafeSlow(STAGING_BYTES);
let used = 0;
/** Per datagram of the batch: sender index, offset, length. */
let meta: number[] = [];
let addresses: string[] = [];
let ports: number[] = [];
let senders = new Map<string, number>();
let dropped = 0;
let timer: NodeJS.Timeout | null = null;
let closing = false;

function post(message: FromUdpThread, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function flush(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  if (meta.length === 0 && dropped === 0) return;
  // An ArrayBuffer of the batch's own size, handed over (not copied again) to the event loop.
  const bytes = new ArrayBuffer(used);
  staging.copy(new Uint8Array(bytes), 0, 0, used);
  const table = Uint32Array.from(meta);
  post({ op: "batch", bytes, meta: table, addresses, ports, dropped }, [bytes, table.buffer]);
  used = 0;
  meta = [];
  addresses = [];
  ports = [];
  senders = new Map();
  dropped = 0;
}

function receive(msg: Buffer, rinfo: RemoteInfo): void {
  const queuedDatagrams = (postedDatagrams - Atomics.load(taken, 0)) | 0;
  const queuedBytes = (postedBytes - Atomics.load(taken, 1)) | 0;
  if (queuedDatagrams >= data.maxQueuedDatagrams || queuedBytes + msg.length > data.maxQueuedBytes) {
    dropped++;
    timer ??= setTimeout(flush, data.flushMs);
    return;
  }
  if (used + msg.length > STAGING_BYTES) flush();
  const key = `${rinfo.address} ${rinfo.port}`;
  let sender = senders.get(key);
  if (sender === undefined) {
    sender = addresses.length;
    senders.set(key, sender);
    addresses.push(rinfo.address);
    ports.push(rinfo.port);
  }
  msg.copy(staging, used);
  meta.push(sender, used, msg.length);
  used += msg.length;
  postedDatagrams = (postedDatagrams + 1) | 0;
  postedBytes = (postedBytes + msg.length) | 0;
  if (meta.length >= data.maxBatch * 3) flush();
  else timer ??= setTimeout(flush, data.flushMs);
}

function errorOf(err: unknown): { code: string; message: string } {
  const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : "";
  return { code, message: err instanceof Error ? err.message : String(err) };
}

port.on("message", (message: ToUdpThread) => {
  switch (message.op) {
    case "bind": {
      const failed = (err: Error): void => post({ op: "bindFailed", ...errorOf(err) });
      socket.once("error", failed);
      socket.bind(message.port, message.host, () => {
        socket.off("error", failed);
        try {
          socket.setRecvBufferSize(data.receiveBufferBytes);
        } catch {
          // Not fatal: the default buffer is enough when this thread keeps up.
        }
        socket.on("error", (err) => post({ op: "error", ...errorOf(err) }));
        socket.on("message", receive);
        const a = socket.address();
        post({ op: "bound", host: a.address, port: a.port });
      });
      return;
    }
    case "send": {
      if (closing) return;
      const { address, port: to } = message;
      socket.send(message.packet, to, address, (err) => {
        if (err) post({ op: "sendFailed", ...errorOf(err), address, port: to });
      });
      return;
    }
    case "close": {
      closing = true;
      flush();
      try {
        socket.close(() => post({ op: "closed" }));
      } catch {
        post({ op: "closed" }); // never bound
      }
      return;
    }
  }
});
