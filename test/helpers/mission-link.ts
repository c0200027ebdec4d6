/**
 * A real link (createLink: tcpout to a simulated or real ArduPilot SITL) as the deps of the product's own
 * CommandClient / MissionClient (CommandClientDeps): our encoder out, decodeFrame in, a GCS heartbeat at 1 Hz
 * (ArduPilot sends STATUSTEXT only to a link it has heard from). What GroundStation does, without the registry.
 */
import pino from "pino";
import { GCS_DEFAULT_IDS, MavlinkEncoder, createLink, decodeFrame } from "../../server/mavlink";
import type { Decoded, Frame, MavLink, OutgoingMessage } from "../../server/mavlink";
import type { VehicleState } from "../../server/protocol";
import { emptyVehicle, reduceVehicle } from "../../server/vehicles";
import type { CommandClientDeps } from "../../server/vehicles";

type Listener = (decoded: Decoded, linkId: string, time: number) => void;

export class ClientLink {
  readonly deps: CommandClientDeps;
  private readonly encoder = new MavlinkEncoder(GCS_DEFAULT_IDS);
  private readonly listeners = new Set<Listener>();
  private heartbeat: NodeJS.Timeout | null = null;

  private constructor(readonly link: MavLink) {
    link.on("frame", (frame: Frame, _peer, time) => this.onFrame(frame, time));
    this.deps = {
      send: (_linkId, messages) => {
        for (const m of messages) this.send(m);
      },
      onMessage: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
    };
  }

  static async connect(url: string): Promise<ClientLink> {
    const link = createLink(url, { id: "test-client", logger: pino({ level: "silent" }) });
    const client = new ClientLink(link);
    await link.start();
    client.send({ kind: "gcsHeartbeat" });
    client.heartbeat = setInterval(() => client.send({ kind: "gcsHeartbeat" }), 1000);
    return client;
  }

  send(message: OutgoingMessage): void {
    this.link.send(this.encoder.encode(message));
  }

  /** The first vehicle heartbeat's ids (autopilot component), or a rejection after timeoutMs. */
  vehicle(timeoutMs = 10_000): Promise<{ sysid: number; compid: number }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no vehicle heartbeat within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener: Listener = (d) => {
        if (d.message.kind !== "heartbeat" || !d.message.isVehicle || d.compid !== 1) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve({ sysid: d.sysid, compid: d.compid });
      };
      this.listeners.add(listener);
    });
  }

  /** The vehicle's state as the ground station's reducer sees it, from now on (read it through the getter). */
  track(ids: { sysid: number; compid: number }): () => VehicleState {
    let state = emptyVehicle(ids, Date.now());
    this.listeners.add((d, _link, time) => {
      if (d.sysid === ids.sysid && d.compid === ids.compid) state = reduceVehicle(state, d.message, time);
    });
    return () => state;
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.listeners.clear();
    await this.link.close();
  }

  private onFrame(frame: Frame, time: number): void {
    let decoded: Decoded;
    try {
      decoded = decodeFrame(frame);
    } catch {
      this.link.countDecodeError();
      return;
    }
    for (const l of [...this.listeners]) l(decoded, this.link.id, time);
  }
}
