/**
 * The pilot's commands (PilotCommands over the product's CommandClient) over a real link against a vehicle:
 * refusals with the vehicle's own result and words, then a whole flight: take-off (GUIDED, arm, NAV_TAKEOFF),
 * change speed, go to a point, brake, RTL, landing and disarm. Runs against the built-in simulator by default and
 * unchanged against real ArduPilot SITL (SITL_LINKS=tcpout://127.0.0.1:5760 npm run test:sitl). Independent of file
 * order: it waits for the vehicle to boot, lands one left flying, and leaves it disarmed, cleared, in its first mode.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MAV_CMD, MAV_DATA_STREAM_ALL } from "../../server/mavlink";
import type { VehicleCommand, VehicleState } from "../../server/protocol";
import { CommandClient, MissionClient, PilotCommands } from "../../server/vehicles";
import type { CommandTarget } from "../../server/vehicles";
import { ClientLink } from "../helpers/mission-link";
import { T } from "./scale";
import { restoreVehicle, until as untilState, untilStarted } from "./vehicle";
import type { VehicleSession } from "./vehicle";

let link: ClientLink;
let session: VehicleSession;
let commands: CommandClient;
let pilot: PilotCommands;
let target: CommandTarget;
let startMode = "STABILIZE";

const state = (): VehicleState => session.state();
const until = (what: string, check: (v: VehicleState) => boolean, timeoutMs: number): Promise<VehicleState> =>
  untilState(session, what, check, timeoutMs);
const run = (command: VehicleCommand) => pilot.run(target, state(), command, { timeoutMs: T(1500) });

beforeAll(async () => {
  const links = inject("sitlLinks");
  link = await ClientLink.connect(links[1 % links.length]!);
  const ids = await link.vehicle(T(15_000));
  target = { linkId: link.link.id, ...ids };
  commands = new CommandClient(link.deps);
  session = { target, state: link.track(ids), commands, missions: new MissionClient(link.deps, { timeoutMs: T(1500) }) };
  link.send({ kind: "requestDataStream", target: ids, streamId: MAV_DATA_STREAM_ALL, rateHz: 4, start: true });
  pilot = new PilotCommands(commands);
  startMode = (await untilStarted(session)).mode;
  // A vehicle left flying by an earlier run is landed first: the refusals below expect one on the ground.
  expect(await restoreVehicle(session, startMode)).toEqual([]);
  await until("a position and a healthy EKF", (v) => v.position !== null && v.ekfHealthy === true, T(60_000));
}, T(240_000));
afterAll(async () => {
  if (session) expect(await restoreVehicle(session, startMode)).toEqual([]);
  session?.missions.close();
  commands?.close();
  await link?.close();
}, T(180_000));

// Refusals on the ground before the flight: never shuffled, even with --sequence.shuffle.
describe("pilot commands over a real link", { shuffle: false }, () => {
  it("refusals come back as the vehicle's result, in words", async () => {
    // NAV_TAKEOFF on the ground, disarmed: ArduCopter fails it.
    const takeoff = await commands.takeoff(target, 10, { timeoutMs: T(1500) });
    expect(takeoff).toMatchObject({ ok: false, result: "failed", text: expect.stringMatching(/^Refused by the vehicle \(failed\)/) });
    // A mode the vehicle type does not have is refused before anything is sent.
    const before = state().customMode;
    expect(await run({ kind: "setMode", mode: "WARP" })).toMatchObject({ ok: false, text: "No mode WARP on this vehicle" });
    expect(state().customMode).toBe(before);
    // DO_REPOSITION outside GUIDED, without the change-mode flag: denied.
    const reposition = await commands.send(target, {
      kind: "int", command: MAV_CMD.DO_REPOSITION, frame: 3, params: [-1, 0, 0, 0], x: 51.51, y: -0.125, z: 20,
    }, { timeoutMs: T(1500) });
    expect(reposition).toMatchObject({ ok: false, result: "denied" });
  }, T(30_000));

  it("flies: take-off, speed, go to, brake, RTL, landing and disarm", async () => {
    expect(await run({ kind: "takeoff", altM: 15 })).toMatchObject({ ok: true, result: "accepted" });
    await until("15 m", (v) => (v.position?.altRelative ?? 0) > 14, T(40_000));
    expect(await run({ kind: "speed", mps: 4 })).toMatchObject({ ok: true });

    const home = state().home!;
    const point = { lat: home.lat + 0.0006, lon: home.lon + 0.0006 };
    expect(await run({ kind: "goto", ...point, altM: 20 })).toMatchObject({ ok: true });
    await until("at the point", (v) => Math.abs(v.position!.lat - point.lat) < 3e-5 && Math.abs(v.position!.lon - point.lon) < 5e-5, T(60_000));

    expect(await run({ kind: "brake" })).toMatchObject({ ok: true });
    expect(state().mode).toBe("BRAKE");
    expect(await run({ kind: "rtl" })).toMatchObject({ ok: true });
    expect(state().mode).toBe("RTL");
    const landed = await until("landed and disarmed", (v) => !v.armed, T(120_000));
    expect(Math.abs(landed.position!.lat - home.lat)).toBeLessThan(5e-5);
    expect(Math.abs(landed.position!.lon - home.lon)).toBeLessThan(8e-5);
  }, T(300_000));
});
