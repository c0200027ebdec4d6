/**
 * node-mavlink's own path, for comparison in the benchmarks: its splitter and parser, then a decode of every
 * packet whose class the registry knows. Counts the decoded packets.
 */
import type { Readable, Transform } from "node:stream";
import { MavLinkPacketParser } from "node-mavlink";
import type { MavLinkPacket } from "node-mavlink";
import { ardupilotmega, common, minimal, standard } from "mavlink-mappings";
import type { MavLinkData, MavLinkDataConstructor } from "mavlink-mappings";

const REGISTRY: Record<number, MavLinkDataConstructor<MavLinkData>> = {
  ...minimal.REGISTRY, ...common.REGISTRY, ...standard.REGISTRY, ...ardupilotmega.REGISTRY,
};

export function decodeAll(source: Readable, splitter: Transform): Promise<number> {
  let decoded = 0;
  const parser = source.pipe(splitter).pipe(new MavLinkPacketParser());
  return new Promise<number>((resolve, reject) => {
    parser.on("data", (packet: MavLinkPacket) => {
      const clazz = REGISTRY[packet.header.msgid];
      if (clazz) {
        packet.protocol.data(packet.payload, clazz);
        decoded += 1;
      }
    });
    parser.on("end", () => resolve(decoded));
    parser.on("error", reject);
  });
}
