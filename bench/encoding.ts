/**
 * The screens' frames as JSON (socket.io's default parser) and as MessagePack (notepack.io, which
 * socket.io-msgpack-parser uses), measured in one run on the same frames: bytes, CPU to encode a frame (once, for
 * every screen) and to decode it (once per screen). The frames are those of the live path (bench/live-path.ts) over
 * a generated stream of V vehicles at ArduCopter's rates, a frame of changes every 100 ms and every vehicle whole
 * every 10 s. Only the codecs are measured: socket.io's packet framing, WebSocket and the sockets are not in it.
 * Usage: npm run bench:encoding [-- --vehicles 200 --packets 500000 --rounds 5]
 */
import { decode, encode } from "notepack.io";
import type { VehicleFrame } from "../server/protocol";
import { livePath } from "./live-path";
import { generateStream } from "./stream";
import { numberArg as arg } from "./number-arg";

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

interface Codec {
  name: string;
  encode(frame: VehicleFrame): string | Uint8Array;
  decode(data: string | Uint8Array): unknown;
}

const CODECS: Codec[] = [
  { name: "JSON (socket.io default)", encode: (f) => JSON.stringify(f), decode: (d) => JSON.parse(d as string) as unknown },
  { name: "MessagePack (notepack.io)", encode: (f) => encode(f) as Uint8Array, decode: (d) => decode(d) as unknown },
];

const size = (d: string | Uint8Array) => (typeof d === "string" ? Buffer.byteLength(d) : d.byteLength);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function main(): void {
  const vehicles = arg("vehicles", 200);
  const packets = arg("packets", 500_000);
  const rounds = arg("rounds", 5);
  const frames: VehicleFrame[] = [];
  livePath(generateStream(vehicles, packets), { frames: true, onFrame: (f) => frames.push(f) });
  const seconds = frames.length / 10;
  console.log(`${frames.length} frames (${seconds.toFixed(0)} s of stream, ${vehicles} vehicles, each vehicle whole every 10 s in turn), ${rounds} rounds, median (node ${process.version}):`);
  for (const codec of CODECS) {
    const encodeUs: number[] = [];
    const decodeUs: number[] = [];
    let bytes = 0;
    for (let r = 0; r < rounds; r++) {
      let t = cpuMicros();
      const encoded = frames.map((f) => codec.encode(f));
      encodeUs.push(cpuMicros() - t);
      bytes = encoded.reduce((n, d) => n + size(d), 0);
      t = cpuMicros();
      for (const d of encoded) codec.decode(d);
      decodeUs.push(cpuMicros() - t);
    }
    const perFrame = (us: number) => `${(us / frames.length).toFixed(0)} µs/frame`;
    const perSecond = (us: number) => `${(100 * us / 1e6 / seconds).toFixed(2)} % of a core`;
    console.log(`  ${codec.name.padEnd(28)} ${(bytes / seconds / 1024).toFixed(1).padStart(7)} KB/s per screen; `
      + `encode ${perFrame(median(encodeUs))} (${perSecond(median(encodeUs))}, once); `
      + `decode ${perFrame(median(decodeUs))} (${perSecond(median(decodeUs))} per screen)`);
  }
}

main();
