/**
 * MissionClient against a scripted vehicle: what a real link can bring that the simulator does not send on its
 * own (stray acks of earlier transfers, another list's messages, another ground station's transfer).
 */
import { describe, expect, it } from "vitest";
import type { Decoded, OutgoingMessage } from "../mavlink";
import { MissionClient } from "./missions";
import type { TransferOutcome } from "./missions-exchange";
import { VirtualClock } from "../../test/support/vehicles/rig";

const TARGET = { linkId: "l", sysid: 1, compid: 1 };
const US = { sysid: 255, compid: 190 };
const WP = { command: 16, frame: 3, params: [0, 0, 0, null] as [number, number, number, null], lat: 51.5, lon: -0.1, alt: 30, autocontinue: true };

function scripted() {
  const clock = new VirtualClock();
  const listeners = new Set<(d: Decoded, l: string, t: number) => void>();
  const sent: OutgoingMessage[] = [];
  const client = new MissionClient({
    send: (_l, messages) => sent.push(...messages),
    onMessage: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    clock,
  }, { gcs: US });
  const emit = (message: Decoded["message"]): void => {
    for (const l of [...listeners]) l({ sysid: 1, compid: 1, seq: 0, msgid: 0, message }, "l", clock.time);
  };
  const request = (seq: number, missionType = 0, target = US) =>
    emit({ kind: "missionRequest", target, seq, missionType, int: false });
  const ack = (result: number, missionType = 0, target = US) =>
    emit({ kind: "missionAck", target, result, resultName: "", missionType });
  return { client, clock, sent, emit, request, ack };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe("MissionClient with stray and mismatched messages", () => {
  it("ignores a stray ACCEPTED, another list's request, INVALID_SEQUENCE and another GCS's request", async () => {
    const { client, sent, request, ack } = scripted();
    let outcome: TransferOutcome<void> | null = null;
    void client.upload(TARGET, "mission", [WP, WP]).then((o) => { outcome = o; });
    await tick();
    expect(sent.map((m) => m.kind)).toEqual(["missionCount"]);
    ack(0); // left over from an earlier transfer: no item went out yet
    request(0, 1); // the fence list's
    request(0, 0, { sysid: 254, compid: 190 }); // for another ground station
    expect(sent).toHaveLength(1);
    request(0);
    ack(13); // ArduPilot's answer to a repeated item: it goes on
    request(1);
    await tick();
    expect(outcome).toBeNull();
    expect(sent.map((m) => m.kind === "missionItemInt" ? m.seq : m.kind)).toEqual(["missionCount", 0, 1]);
    expect(sent[1]).toMatchObject({ current: 1, params: [0, 0, 0, NaN], x: 51.5, y: -0.1, z: 30, missionType: 0 });
    ack(0, 1); // another list's ack
    await tick();
    expect(outcome).toBeNull();
    ack(0);
    await tick();
    expect(outcome).toEqual({ ok: true, value: undefined, resends: 0 });
  });

  it("fails when the vehicle asks for an item past the end of the list", async () => {
    const { client, request } = scripted();
    const pending = client.upload(TARGET, "rally", [WP]);
    await tick();
    request(3, 2);
    expect(await pending).toMatchObject({ ok: false, code: "protocol", message: "The vehicle asked for item 3 of the rally point list, which has 1" });
  });

  it("download: ignores duplicate items and another list's items, answers the float MISSION_ITEM too", async () => {
    const { client, sent, emit } = scripted();
    const pending = client.download(TARGET, "fence");
    await tick();
    const item = (seq: number, missionType: number, int = true): Decoded["message"] => ({
      kind: "missionItem", target: US, seq, missionType, int, frame: 0, command: 5003, current: 0, autocontinue: 1,
      params: [50, 0, 0, 0], x: 51.5, y: -0.1, z: 0,
    });
    emit({ kind: "missionCount", target: US, count: 2, missionType: 0 }); // the mission list's count: not ours
    expect(sent.map((m) => m.kind)).toEqual(["missionRequestList"]);
    emit({ kind: "missionCount", target: US, count: 2, missionType: 1 });
    emit(item(0, 0));
    emit(item(0, 1, false));
    emit(item(0, 1));
    emit(item(1, 1));
    const out = await pending;
    expect(out.ok && out.value.map((i) => [i.command, i.params[0], i.lat])).toEqual([[5003, 50, 51.5], [5003, 50, 51.5]]);
    expect(sent.map((m) => m.kind)).toEqual(["missionRequestList", "missionRequestInt", "missionRequestInt", "missionAck"]);
    expect(sent.at(-1)).toMatchObject({ result: 0, missionType: 1 });
  });

  it("a refusal during a download is told in words", async () => {
    const { client, ack } = scripted();
    const pending = client.download(TARGET, "mission");
    await tick();
    ack(14);
    expect(await pending).toMatchObject({ ok: false, code: "refused", result: 14, message: expect.stringMatching(/^The vehicle refused/) });
  });
});
