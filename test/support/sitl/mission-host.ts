/**
 * Test helper: a MissionHost that records what the mission code sends, after a real round trip through the
 * MAVLink encoder, framer and decoder (so float32 rounding and field names are the wire's), and a GCS that
 * encodes its packets the same way.
 */
import { MavlinkFramer, RawDecoder, RawEncoder } from "../../../server/mavlink";
import type { RawFields, RawMessage } from "../../../server/mavlink";
import type { MissionHost } from "../../../sitl/sim/mission";

export const HOME = { lat: 51.5073998, lon: -0.1278, altAmsl: 10.09 };

function wire(encoder: RawEncoder, name: string, fields: RawFields): RawMessage {
  const decoder = new RawDecoder();
  const out: RawMessage[] = [];
  new MavlinkFramer((f) => out.push(decoder.decode(f))).push(encoder.encode(name, fields));
  const [msg] = out;
  if (!msg || out.length !== 1) throw new Error(`${name} did not survive the wire`);
  return msg;
}

export type Sent = { kind: "msg"; name: string; fields: RawFields } | { kind: "text"; severity: number; text: string };

export class FakeVehicle implements MissionHost {
  readonly sent: Sent[] = [];
  clock = 0;
  homePosition: { lat: number; lon: number; altAmsl: number } | null = HOME;
  /** False to play an autopilot still initialising its mission storage. */
  ready = true;
  private readonly encoder = new RawEncoder({ sysid: 1, compid: 1 });

  send(name: string, fields: RawFields): void {
    const msg = wire(this.encoder, name, fields);
    this.sent.push({ kind: "msg", name: msg.name, fields: msg.fields });
  }

  statusText(severity: number, text: string): void {
    this.sent.push({ kind: "text", severity, text });
  }

  now(): number {
    return this.clock;
  }

  home(): { lat: number; lon: number; altAmsl: number } | null {
    return this.homePosition;
  }

  storageReady(): boolean {
    return this.ready;
  }

  /** Everything sent since the last call. */
  take(): Sent[] {
    return this.sent.splice(0, this.sent.length);
  }

  messages(): { name: string; fields: RawFields }[] {
    return this.take().flatMap((s) => (s.kind === "msg" ? [{ name: s.name, fields: s.fields }] : []));
  }
}

export class FakeGcs {
  private readonly encoder: RawEncoder;

  constructor(readonly sysid = 255, readonly compid = 190) {
    this.encoder = new RawEncoder({ sysid, compid });
  }

  packet(name: string, fields: RawFields): RawMessage {
    return wire(this.encoder, name, { target_system: 1, target_component: 1, ...fields });
  }
}
