import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { RawDecoder, RawEncoder, createLink } from "../../server/mavlink";
import type { MavLink, RawMessage } from "../../server/mavlink";
import { SimFleet } from "./fleet";

const logger = pino({ level: "silent" });

describe("SimFleet over TCP", () => {
  const open: { close(): Promise<void> }[] = [];
  const fleetStops: SimFleet[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close()));
    await Promise.all(fleetStops.splice(0).map((f) => f.stop()));
  });

  it("serves each vehicle on its own ephemeral port with its own sysid", async () => {
    const fleet = new SimFleet({
      vehicles: [
        { sysid: 1, home: { lat: 51.5074, lon: -0.1278, altAmsl: 10 } },
        { sysid: 2, home: { lat: 51.509, lon: -0.125, altAmsl: 12 } },
      ],
      transport: { kind: "tcp", basePort: 0 },
      bootTimeScale: 0.01,
      speedup: 5,
      logger,
    });
    fleetStops.push(fleet);
    const { links } = await fleet.start();
    expect(links).toHaveLength(2);
    expect(links[0]).toMatch(/^tcpout:\/\/127\.0\.0\.1:\d+$/);
    expect(links[0]).not.toBe(links[1]);
    const decoder = new RawDecoder();
    const seen = await Promise.all(links.map(async (url) => {
      const link: MavLink = createLink(url, { logger });
      open.push(link);
      const got: RawMessage[] = [];
      link.on("frame", (f) => got.push(decoder.decode(f)));
      await link.start();
      const gcs = new RawEncoder({ sysid: 255, compid: 190 });
      const deadline = Date.now() + 5000;
      while (!got.some((m) => m.name === "GLOBAL_POSITION_INT") && Date.now() < deadline) {
        link.send(gcs.encode("HEARTBEAT", { type: 6, autopilot: 8, mavlink_version: 3 }));
        link.send(gcs.encode("REQUEST_DATA_STREAM", { req_stream_id: 0, req_message_rate: 4, start_stop: 1 }));
        await new Promise((r) => setTimeout(r, 100));
      }
      return got;
    }));
    expect(new Set(seen[0]!.map((m) => m.sysid))).toEqual(new Set([1]));
    expect(new Set(seen[1]!.map((m) => m.sysid))).toEqual(new Set([2]));
    expect(seen[0]!.some((m) => m.name === "GLOBAL_POSITION_INT")).toBe(true);
    expect(fleet.vehicle(1).sysid).toBe(2);
  });
});
