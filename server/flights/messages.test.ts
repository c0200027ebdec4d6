import { describe, expect, it } from "vitest";
import type { MavMessage } from "../mavlink";
import { MAX_FLIGHT_MESSAGES, MessageCollector } from "./messages";
import { StatsAccumulator } from "./stats";

const text = (n: number): MavMessage => ({ kind: "statusText", severity: "warning", text: `message ${n}` });

describe("a flight's messages", () => {
  it("are kept oldest first up to the bound; the rest are counted, not kept", () => {
    const c = new MessageCollector(3);
    for (let n = 0; n < 5; n++) c.add({ time: n, severity: "info", text: `m${n}` });
    expect(c.list.map((m) => m.text)).toEqual(["m0", "m1", "m2"]);
    expect(c.dropped).toBe(2);
  });

  it("bound a vehicle that floods: memory stays at MAX_FLIGHT_MESSAGES whatever it sends", () => {
    const acc = new StatsAccumulator();
    const sent = MAX_FLIGHT_MESSAGES + 1234;
    for (let n = 0; n < sent; n++) acc.add(1000 + n, text(n), "in");
    const s = acc.snapshot();
    expect(s.messages).toHaveLength(MAX_FLIGHT_MESSAGES);
    expect(s.messages.at(-1)).toEqual({ time: 1000 + MAX_FLIGHT_MESSAGES - 1, severity: "warning", text: `message ${MAX_FLIGHT_MESSAGES - 1}` });
    expect(s.messagesDropped).toBe(1234);
    expect(s.packets).toBe(sent);
  });

  it("come only from the vehicle's own decoded packets; every packet is counted in its direction", () => {
    const acc = new StatsAccumulator();
    acc.add(1, text(1), "in");
    // What a ground station sent is never decoded for the statistics.
    acc.add(2, null, "out");
    acc.add(3, null, "in");
    const s = acc.snapshot();
    expect(s.messages).toEqual([{ time: 1, severity: "warning", text: "message 1" }]);
    expect({ packets: s.packets, packetsIn: s.packetsIn, packetsOut: s.packetsOut }).toEqual({ packets: 3, packetsIn: 2, packetsOut: 1 });
  });

  it("are a snapshot: a later message does not change a list already taken", () => {
    const acc = new StatsAccumulator();
    acc.add(1, text(1), "in");
    const first = acc.snapshot();
    acc.add(2, text(2), "in");
    expect(first.messages).toHaveLength(1);
    expect(acc.snapshot().messages).toHaveLength(2);
  });
});
