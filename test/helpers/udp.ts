import dgram from "node:dgram";
import path from "node:path";
import { readTlogFile } from "../../server/mavlink";
import type { TlogEntry } from "../../server/mavlink";
import { FIXTURES } from "./server";

/** The real ArduCopter recording, parsed once per test file. */
export function flightEntries(): TlogEntry[] {
  return readTlogFile(path.join(FIXTURES, "copter_flight_1.tlog")).entries;
}

/** A plain UDP socket standing in for a vehicle's radio: sends raw bytes to the server's udpin port. */
export class RawUdpVehicle {
  private readonly socket = dgram.createSocket("udp4");
  readonly received: Buffer[] = [];

  constructor(private readonly port: number) {
    this.socket.on("message", (msg) => this.received.push(msg));
  }

  async send(bytes: Buffer): Promise<void> {
    await new Promise<void>((resolve, reject) => this.socket.send(bytes, this.port, "127.0.0.1", (err) => (err ? reject(err) : resolve())));
  }

  close(): void {
    this.socket.close();
  }
}
