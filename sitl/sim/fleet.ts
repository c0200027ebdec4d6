/**
 * Several simulated vehicles on real links, as a ground station meets ArduPilot SITL: over TCP each vehicle serves
 * its own port (5760 + 10·i, or ephemeral ports with basePort 0) and the GCS connects out; over UDP all vehicles
 * share one udpout stream to the GCS. One timer ticks every vehicle; `speedup` runs simulated time faster.
 */
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import { createLink } from "../../server/mavlink";
import type { MavLink } from "../../server/mavlink";
import type { FaultSpec } from "./faults";
import type { MissionHost, MissionPorts } from "./mission-port";
import { SimVehicle } from "./vehicle";
import type { Home } from "./view";

export interface FleetVehicleOptions {
  sysid: number;
  home: Home;
  faults?: FaultSpec[];
  /** MAVLink 2 signing key (32 bytes): the vehicle signs what it sends and ignores what does not verify. */
  signingKey?: Buffer;
}

export type FleetTransport =
  | { kind: "tcp"; host?: string; basePort: number }
  | { kind: "udp"; target: string };

export interface SimFleetOptions {
  vehicles: FleetVehicleOptions[];
  transport: FleetTransport;
  tickMs?: number;
  bootTimeScale?: number;
  /** Simulated time runs this many times faster than the wall clock (1 = real time). */
  speedup?: number;
  logger: Logger;
  /** Mission server + executor per vehicle; default: sitl/sim/mission's. */
  mission?: (host: MissionHost) => MissionPorts;
}

const TCP_PORT_STRIDE = 10;

export class SimFleet {
  private readonly vehicles: SimVehicle[] = [];
  private readonly links: MavLink[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly log: Logger;
  private readonly t0 = performance.now();
  private readonly speedup: number;

  constructor(private readonly opts: SimFleetOptions) {
    this.log = opts.logger.child({ module: "sim-fleet" });
    this.speedup = opts.speedup ?? 1;
    if (!(this.speedup > 0)) throw new Error(`speedup must be positive, got ${this.speedup}`);
    const clock = { now: (): number => this.t0 + (performance.now() - this.t0) * this.speedup };
    for (const v of opts.vehicles) {
      this.vehicles.push(new SimVehicle({
        sysid: v.sysid, home: v.home, bootTimeScale: opts.bootTimeScale ?? 1, clock, logger: opts.logger,
        faults: v.faults ?? [], ...(opts.mission ? { mission: opts.mission } : {}),
        ...(v.signingKey ? { signingKey: v.signingKey } : {}),
      }));
    }
  }

  vehicle(i: number): SimVehicle {
    const v = this.vehicles[i];
    if (!v) throw new Error(`no vehicle ${i}`);
    return v;
  }

  get size(): number {
    return this.vehicles.length;
  }

  /** Opens the links and starts ticking; resolves with the URLs a ground station should use. */
  async start(): Promise<{ links: string[] }> {
    const t = this.opts.transport;
    const urls: string[] = [];
    if (t.kind === "tcp") {
      const host = t.host ?? "127.0.0.1";
      for (const [i, v] of this.vehicles.entries()) {
        const port = t.basePort === 0 ? 0 : t.basePort + TCP_PORT_STRIDE * i;
        const link = createLink(`tcpin://${host}:${port}`, { id: `sim-${v.sysid}`, logger: this.log });
        this.attach(link, [v]);
        await link.start();
        urls.push(`tcpout://${host}:${link.localAddress()?.port ?? port}`);
      }
    } else {
      const link = createLink(`udpout://${t.target}`, { id: "sim-udp", logger: this.log });
      this.attach(link, this.vehicles);
      await link.start();
      urls.push(`udpin://0.0.0.0:${t.target.split(":").pop() ?? "14550"}`);
    }
    const tickMs = this.opts.tickMs ?? 20;
    this.timer = setInterval(() => {
      for (const v of this.vehicles) v.tick();
    }, tickMs);
    this.log.info({ links: urls, vehicles: this.vehicles.length }, "simulated fleet started");
    return { links: urls };
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.links.map((l) => l.close()));
    this.links.length = 0;
  }

  private attach(link: MavLink, vehicles: SimVehicle[]): void {
    this.links.push(link);
    for (const v of vehicles) v.onSend((bytes) => link.send(bytes));
    // Each vehicle ignores frames addressed to another sysid (target_system), so all can see every frame.
    link.on("frame", (frame) => {
      for (const v of vehicles) v.receive(frame);
    });
  }
}
