/**
 * CommandClient against the real built-in simulated ArduCopter (sitl/sim) on a virtual clock: bytes both ways
 * through MavlinkEncoder / MavlinkFramer / decodeFrame, the link's only "faults" being packets we drop.
 */
import { describe, expect, it } from "vitest";
import { MAV_CMD } from "../mavlink";
import type { Decoded, OutgoingMessage } from "../mavlink";
import { CommandClient } from "./commands";
import type { CommandOutcome, CommandTarget } from "./commands";
import { Rig, VirtualClock } from "../../test/support/vehicles/rig";

const TARGET: CommandTarget = { linkId: "sim", sysid: 1, compid: 1 };

type Listener = (decoded: Decoded, linkId: string, time: number) => void;

describe("CommandClient against the simulated ArduCopter", () => {
  it("GUIDED before the vehicle has a position is refused, with the vehicle's reason", async () => {
    const rig = new Rig();
    await rig.start();
    const { value } = await rig.until(rig.client.setMode(TARGET, "GUIDED"));
    expect(value).toMatchObject({ ok: false, result: "failed" });
    expect(value.text).toMatch(/^Refused by the vehicle \(failed\): Mode change to GUIDED failed/);
  });

  it("sets GUIDED: acked ACCEPTED, then confirmed by the next HEARTBEAT's custom_mode", async () => {
    const rig = new Rig();
    await rig.ready();
    expect(rig.vehicle.mode).not.toBe(4);
    const { value, elapsed } = await rig.until(rig.client.setMode(TARGET, "GUIDED"));
    expect(value).toMatchObject({ ok: true, result: "accepted", attempts: 1, text: "Accepted by the vehicle" });
    expect(elapsed).toBeLessThanOrEqual(1100); // heartbeats at 1 Hz
    const hb = rig.heard.filter((d) => d.message.kind === "heartbeat").at(-1)!;
    expect(hb.message).toMatchObject({ customMode: 4, mode: "GUIDED" });
    expect(rig.commandsSent(MAV_CMD.DO_SET_MODE)).toEqual([expect.objectContaining({
      kind: "commandLong", confirmation: 0, params: [1, 4, 0, 0, 0, 0, 0],
    })]);
  });

  it("an ACCEPTED mode change that no heartbeat confirms within 3 s is not ok", async () => {
    const rig = new Rig();
    await rig.ready();
    rig.hideHeartbeats = true;
    const { value, elapsed } = await rig.until(rig.client.setMode(TARGET, "LOITER"));
    expect(value).toMatchObject({ ok: false, result: "accepted", text: "The vehicle acknowledged but did not change mode" });
    expect(elapsed).toBeGreaterThanOrEqual(3000);
    expect(elapsed).toBeLessThan(3100);
  });

  it("refuses an unknown mode name without sending anything", async () => {
    const rig = new Rig();
    await rig.start();
    const out = await rig.client.setMode(TARGET, "WARP");
    expect(out).toMatchObject({ ok: false, result: "failed", attempts: 0, text: "No mode WARP on this vehicle" });
    expect(rig.commandsSent(MAV_CMD.DO_SET_MODE)).toEqual([]);
  });

  it("arming before the vehicle is ready is refused (failed) with the vehicle's PreArm text", async () => {
    const rig = new Rig();
    await rig.start();
    const { value } = await rig.until(rig.client.arm(TARGET));
    expect(value.ok).toBe(false);
    expect(value.result).toBe("failed");
    expect(value.text.startsWith("Refused by the vehicle (failed): PreArm: ")).toBe(true);
    expect(value.vehicleTexts.some((t) => t.startsWith("PreArm: "))).toBe(true);
    expect(rig.vehicle.armed).toBe(false);
    // Never forced unless asked.
    expect(rig.commandsSent(MAV_CMD.COMPONENT_ARM_DISARM)[0]).toMatchObject({ params: [1, 0, 0, 0, 0, 0, 0] });
  });

  it("arms when ready, confirmed by the heartbeat's armed flag; disarms the same way", async () => {
    const rig = new Rig();
    await rig.ready();
    expect((await rig.until(rig.client.setMode(TARGET, "GUIDED"))).value.ok).toBe(true);
    const { value } = await rig.until(rig.client.arm(TARGET));
    expect(value).toMatchObject({ ok: true, result: "accepted" });
    const hb = rig.heard.filter((d) => d.message.kind === "heartbeat").at(-1)!;
    expect(hb.message).toMatchObject({ armed: true });
    const off = await rig.until(rig.client.disarm(TARGET));
    expect(off.value).toMatchObject({ ok: true, result: "accepted" });
    expect(rig.vehicle.armed).toBe(false);
  });

  it("takeoff outside GUIDED is refused; in GUIDED after arming it is accepted and the vehicle climbs", async () => {
    const rig = new Rig();
    await rig.ready();
    expect((await rig.until(rig.client.arm(TARGET))).value.ok).toBe(true); // STABILIZE arms
    const refused = await rig.until(rig.client.takeoff(TARGET, 10));
    expect(refused.value).toMatchObject({ ok: false, result: "failed" });
    expect(refused.value.text.startsWith("Refused by the vehicle (failed)")).toBe(true);
    expect((await rig.until(rig.client.setMode(TARGET, "GUIDED"))).value.ok).toBe(true);
    const taken = await rig.until(rig.client.takeoff(TARGET, 10));
    expect(taken.value).toMatchObject({ ok: true, result: "accepted", attempts: 1 });
    expect(rig.commandsSent(MAV_CMD.NAV_TAKEOFF).at(-1)).toMatchObject({ params: [0, 0, 0, 0, 0, 0, 10] });
    await rig.run(3000);
    expect(rig.vehicle.phys.up).toBeGreaterThan(1);
  });

  it("retries a dropped command with confirmation counting up, and succeeds on the third try", async () => {
    const rig = new Rig();
    await rig.ready();
    rig.dropToVehicle = 2;
    const { value, elapsed } = await rig.until(rig.client.setMode(TARGET, "GUIDED"));
    expect(value).toMatchObject({ ok: true, result: "accepted", attempts: 3 });
    expect(rig.commandsSent(MAV_CMD.DO_SET_MODE).map((m) => m.kind === "commandLong" && m.confirmation)).toEqual([0, 1, 2]);
    expect(elapsed).toBeGreaterThanOrEqual(3000); // two 1.5 s timeouts
  });

  it("gives up with 'timeout' after the configured tries when the vehicle never answers", async () => {
    const rig = new Rig();
    await rig.start();
    rig.deaf = true;
    const byDefault = await rig.until(rig.client.send(TARGET, { kind: "long", command: MAV_CMD.REQUEST_MESSAGE, params: [242] }));
    expect(byDefault.value).toMatchObject({
      ok: false, result: "timeout", attempts: 4, text: "No answer from the vehicle after 4 tries",
    });
    expect(byDefault.elapsed).toBe(6000);
    const short = await rig.until(rig.client.send(TARGET, { kind: "long", command: MAV_CMD.NAV_LAND }, { timeoutMs: 500, retries: 1 }));
    expect(short.value).toMatchObject({ result: "timeout", attempts: 2, text: "No answer from the vehicle after 2 tries" });
    expect(short.elapsed).toBe(1000);
    expect(rig.commandsSent(MAV_CMD.REQUEST_MESSAGE)).toHaveLength(4);
  });

  it("resends COMMAND_INT as is (no confirmation field) and gets its ack", async () => {
    const rig = new Rig();
    await rig.start();
    rig.dropToVehicle = 1;
    const { value } = await rig.until(rig.client.send(TARGET, {
      kind: "int", command: MAV_CMD.REQUEST_MESSAGE, params: [242],
    }));
    expect(value).toMatchObject({ ok: true, attempts: 2 });
    const sent = rig.commandsSent(MAV_CMD.REQUEST_MESSAGE);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual(sent[1]);
    expect(sent[0]).toMatchObject({ kind: "commandInt", frame: 0, params: [242, 0, 0, 0], x: 0, y: 0, z: 0 });
  });

  it("joins a second identical request to the one in flight; turns down one with other parameters", async () => {
    const rig = new Rig();
    await rig.ready();
    rig.dropToVehicle = 1;
    const first = rig.client.setMode(TARGET, "GUIDED");
    await rig.run(200);
    const second = rig.client.setMode(TARGET, "GUIDED");
    const other = await rig.client.setMode(TARGET, "LOITER");
    expect(other).toMatchObject({ ok: false, result: "temporarily_rejected", attempts: 0 });
    const [a, b] = (await rig.until(Promise.all([first, second]))).value;
    expect(a).toMatchObject({ ok: true, attempts: 2 });
    expect(b).toEqual(a);
    expect(rig.commandsSent(MAV_CMD.DO_SET_MODE)).toHaveLength(2); // one command, one retry: nothing for the join
    // Once answered, the same command can be sent again.
    const again = await rig.until(rig.client.setMode(TARGET, "LOITER"));
    expect(again.value).toMatchObject({ ok: true, attempts: 1 });
  });
});

describe("CommandClient with IN_PROGRESS acks (scripted acks: the simulator answers at once)", () => {
  function scripted(): { client: CommandClient; clock: VirtualClock; emit: (m: Decoded["message"]) => void; sent: OutgoingMessage[] } {
    const clock = new VirtualClock();
    const listeners = new Set<Listener>();
    const sent: OutgoingMessage[] = [];
    const client = new CommandClient({
      send: (_l, messages) => sent.push(...messages),
      onMessage: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      clock,
    });
    const emit = (message: Decoded["message"]): void => {
      for (const l of [...listeners]) l({ sysid: 1, compid: 1, seq: 0, msgid: 77, message }, "sim", clock.time);
    };
    return { client, clock, emit, sent };
  }

  it("keeps waiting through IN_PROGRESS (reporting progress, no retransmission) until the final ack", async () => {
    const { client, clock, emit, sent } = scripted();
    const progress: (number | null)[] = [];
    let outcome: CommandOutcome | null = null;
    void client.send(TARGET, { kind: "long", command: 241 }, { onProgress: (p) => progress.push(p) }).then((o) => {
      outcome = o;
    });
    const ack = (result: number, p: number | null): void =>
      emit({ kind: "commandAck", command: 241, result, resultName: "", progress: p });
    ack(5, 10);
    for (let i = 0; i < 5; i++) {
      clock.time += 1000;
      clock.fireDue();
    }
    ack(5, null);
    ack(5, 60);
    emit({ kind: "commandAck", command: 400, result: 0, resultName: "ACCEPTED", progress: 0 }); // another command
    await new Promise<void>((r) => setImmediate(r));
    expect(outcome).toBeNull();
    ack(0, 100);
    await new Promise<void>((r) => setImmediate(r));
    expect(outcome).toMatchObject({ ok: true, result: "accepted", attempts: 1, progress: 60 });
    expect(progress).toEqual([10, null, 60]);
    expect(sent).toHaveLength(1);
  });

  it("ignores acks from another vehicle", async () => {
    const { client, clock, sent } = scripted();
    let outcome: CommandOutcome | null = null;
    void client.send({ ...TARGET, sysid: 2 }, { kind: "long", command: 241 }, { retries: 0 }).then((o) => {
      outcome = o;
    });
    clock.time += 1500;
    clock.fireDue();
    await new Promise<void>((r) => setImmediate(r));
    expect(outcome).toMatchObject({ result: "timeout", text: "No answer from the vehicle after 1 try" });
    expect(sent).toHaveLength(1);
  });
});
