/**
 * The vehicle's end of its link: encoding (one encoder per boot, so sequence numbers start again after a reboot),
 * MAVLink 2 signing as ArduPilot does it once SETUP_SIGNING has set a key, the injected link faults, and the
 * filtering of what arrives (bad signature, another dialect, another vehicle's target: ignored, as ArduPilot does).
 */
import { MavlinkSigner, RawDecoder, RawEncoder, SignatureVerifier } from "../../server/mavlink";
import type { Frame, RawFields, RawMessage } from "../../server/mavlink";
import type { LinkFaults } from "./faults";

export class VehicleLink {
  private encoder: RawEncoder;
  private readonly decoder = new RawDecoder();
  private readonly sinks: ((bytes: Buffer) => void)[] = [];
  /** Signing: kept across reboots, as ArduPilot keeps its key and last timestamp. */
  private readonly signer: MavlinkSigner | null;
  private readonly verifier: SignatureVerifier | null;

  constructor(private readonly sysid: number, private readonly faults: LinkFaults, key: Buffer | undefined) {
    this.encoder = new RawEncoder({ sysid, compid: 1 });
    this.signer = key ? new MavlinkSigner({ key, linkId: 0 }) : null;
    this.verifier = key ? new SignatureVerifier({ keys: () => key, requireSigned: () => true }) : null;
  }

  onSend(sink: (bytes: Buffer) => void): void {
    this.sinks.push(sink);
  }

  /** Encodes one message and hands it to every sink, unless the link faults eat it. */
  send(name: string, fields: RawFields, now: number): void {
    const encoded = this.encoder.encode(name, fields);
    const bytes = this.faults.apply(this.signer ? this.signer.sign(encoded) : encoded, now);
    if (bytes === null) return;
    for (const sink of this.sinks) sink(bytes);
  }

  /** The message in `frame` when this vehicle should act on it, else null. */
  receive(frame: Frame): RawMessage | null {
    if (this.verifier && this.verifier.check(frame) !== "ok") return null;
    let msg: RawMessage;
    try {
      msg = this.decoder.decode(frame);
    } catch {
      return null; // a message of another dialect: ArduPilot ignores it too
    }
    const target = msg.fields.target_system;
    if (typeof target === "number" && target !== 0 && target !== this.sysid) return null;
    return msg;
  }

  /** A fresh boot: sequence numbers start again. */
  restart(): void {
    this.encoder = new RawEncoder({ sysid: this.sysid, compid: 1 });
  }
}
