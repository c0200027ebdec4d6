/** Test doubles for the launchers' tests (not used at run time). */
import pino from "pino";
import { createLink, RawDecoder, RawEncoder } from "../../../server/mavlink";
import type { MavLink, RawMessage } from "../../../server/mavlink";

const logger = pino({ level: "silent" });

/**
 * Test double of an ArduPilot SITL's MAVLink side: heartbeats as sysid 1, knows only the parameter names it is
 * given (silence for others, as ArduPilot does), stores the new id and applies it when told to reboot.
 */
export class FakeSitlVehicle {
  readonly link: MavLink;
  private sysid = 1;
  private stored = 1;
  private timer: NodeJS.Timeout | null = null;
  readonly received: string[] = [];

  constructor(private readonly knownNames: string[], listen = "tcpin://127.0.0.1:0", private readonly acksReboot = true) {
    this.link = createLink(listen, { logger });
    const decoder = new RawDecoder();
    this.link.on("frame", (frame) => this.handle(decoder.decode(frame)));
  }

  async start(): Promise<string> {
    await this.link.start();
    this.timer = setInterval(() => this.send("HEARTBEAT", { type: 2, autopilot: 3, mavlink_version: 3 }), 50);
    return `tcpout://127.0.0.1:${this.link.localAddress()!.port}`;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.link.close();
  }

  private send(name: string, fields: Record<string, number | string>): void {
    this.link.send(new RawEncoder({ sysid: this.sysid, compid: 1 }).encode(name, fields));
  }

  private handle(m: RawMessage): void {
    this.received.push(m.name === "PARAM_SET" ? `PARAM_SET ${String(m.fields.param_id)}` : m.name);
    if (m.name === "PARAM_SET" && this.knownNames.includes(String(m.fields.param_id))) {
      this.stored = Number(m.fields.param_value);
      this.send("PARAM_VALUE", { param_id: String(m.fields.param_id), param_value: this.stored, param_type: 4, param_count: 1 });
    }
    if (m.name === "COMMAND_LONG" && m.fields.command === 246 && this.acksReboot) {
      this.send("COMMAND_ACK", { command: 246, result: 0 });
      this.sysid = this.stored;
    }
  }
}

