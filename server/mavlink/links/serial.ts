/**
 * serial://DEVICE:BAUD: a telemetry radio or a flight controller on USB. Reopened with backoff when the device
 * is missing or disappears (USB unplugged), so start() never fails for a missing device.
 */
import type { SerialPort } from "serialport";
import type { PeerId } from "../types";
import { Backoff } from "./backoff";
import { LinkBase, type LinkOptions } from "./base";

const PEER: PeerId = "serial";

export class SerialLink extends LinkBase {
  readonly kind = "serial" as const;
  private port: SerialPort | null = null;
  private opened = false;
  private running = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;

  constructor(url: string, private readonly path: string, private readonly baudRate: number, opts: LinkOptions) {
    super(url, opts);
    this.backoff = new Backoff(opts.backoff);
  }

  start(): Promise<void> {
    if (!this.running) {
      this.running = true;
      void this.open();
    }
    return Promise.resolve();
  }

  send(packet: Buffer): void {
    if (this.port === null || !this.opened) return;
    this.countSent(packet.length);
    this.port.write(packet);
  }

  sendTo(peer: PeerId, packet: Buffer): void {
    if (peer === PEER) this.send(packet);
  }

  close(): Promise<void> {
    this.running = false;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const port = this.port;
    if (port === null || !this.opened) {
      this.setConnection("closed");
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      port.once("close", () => resolve());
      port.close((err) => {
        if (err) resolve(); // it was closing or gone already
      });
    });
  }

  localAddress(): null {
    return null;
  }

  protected peerCount(): number {
    return this.opened ? 1 : 0;
  }

  private async open(): Promise<void> {
    this.retryTimer = null;
    this.setConnection("connecting");
    let port: SerialPort;
    try {
      // Loaded on first use: the native binding is only needed by servers that have a serial link.
      const { SerialPort: Port } = await import("serialport");
      port = new Port({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    } catch (err) {
      this.failed(`cannot use serial ports: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (!this.running) return;
    this.port = port;
    port.on("data", (chunk: Buffer) => this.ingest(PEER, chunk));
    port.on("error", (err: Error) => this.setError(`${this.path}: ${err.message}`));
    port.on("close", () => this.closed());
    port.open((err) => {
      if (err) {
        this.port = null;
        this.failed(`cannot open ${this.path}: ${err.message}`);
        return;
      }
      if (!this.running) {
        port.close(); // close() was called while it was opening
        return;
      }
      this.opened = true;
      this.backoff.reset();
      this.setError(null);
      this.setConnection("open");
      this.peerUp(PEER);
    });
  }

  private failed(message: string): void {
    this.setError(message);
    this.setConnection("error");
    this.retry();
  }

  private closed(): void {
    this.port = null;
    if (this.opened) {
      this.opened = false;
      this.peerDown(PEER, this.running ? `${this.path} closed` : "link closed");
    }
    if (this.running) {
      this.setError(`${this.path} disappeared`);
      this.retry();
    } else {
      this.setConnection("closed");
    }
  }

  private retry(): void {
    if (!this.running) return;
    this.retryTimer = setTimeout(() => void this.open(), this.backoff.next());
  }
}
