/**
 * The recorded ArduCopter flight, flown again against a vehicle: connect, ask for streams, wait until armable,
 * GUIDED, arm, take off to 30 m, upload the recorded mission, download it back, AUTO to the end, disarm, then the
 * legacy download. Every mission-protocol packet, every ack and the mission's status texts must match what the
 * real ArduCopter did (test/fixtures/copter_flight_1_*.txt). Runs against the built-in simulator by default and
 * unchanged against real ArduPilot SITL (SITL_LINKS=tcpout://127.0.0.1:5760 npm run test:sitl). Independent of file
 * order: it reboots the vehicle first (as the recording started from a fresh boot) and restores it after.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MAV_CMD } from "../../server/mavlink";
import type { RawFields } from "../../server/mavlink";
import { TestGcs } from "../helpers/gcs";
import type { LoggedPacket } from "../helpers/gcs";
import { missionTranscript, recordedStatusTexts } from "../helpers/transcript";
import type { TranscriptLine } from "../helpers/transcript";
import { T } from "./scale";

const transcript = missionTranscript();
const phase = (p: string) => transcript.filter((l) => l.phase === p);
const GUIDED = 4;
const MAV_CMD_PREFLIGHT_REBOOT_SHUTDOWN = 246;
const AUTO = 3;
const LAND = 9;
const STABILIZE = 0;

let gcs: TestGcs;
let vehicle = { sysid: 0, compid: 0 };
let home: RawFields;

function sameAsRecorded(got: LoggedPacket[], recorded: TranscriptLine[], skip: (l: TranscriptLine) => string[] = () => []): void {
  expect(got.map((p) => `${p.dir} ${p.message.name}`)).toEqual(recorded.map((l) => `${l.dir} ${l.name}`));
  got.forEach((p, i) => {
    const want = recorded[i]!;
    if (p.dir !== "VEH->GCS") return;
    const ignored = new Set(["target_system", "target_component", ...skip(want)]);
    for (const [k, v] of Object.entries(want.fields)) {
      if (ignored.has(k)) continue;
      expect(p.message.fields[k], `${want.name} #${i} field ${k}`).toBeCloseTo(v, 4);
    }
    expect(p.message.fields.target_system).toBe(255);
    expect(p.message.fields.target_component).toBe(190);
  });
}

beforeAll(async () => {
  gcs = await TestGcs.connect(inject("sitlLinks")[0]!);
  const hb = await gcs.next("HEARTBEAT", (f, m) => m.compid === 1 && f.type === 2, T(10_000));
  vehicle = { sysid: hb.sysid, compid: hb.compid };
  // Start from a fresh boot, as the recording did: reboot the autopilot and wait for it to come back.
  expect(await gcs.command(vehicle, MAV_CMD_PREFLIGHT_REBOOT_SHUTDOWN, [1])).toBe(0);
  await gcs.next("HEARTBEAT", (f, m) => m.sysid === vehicle.sysid && f.system_status === 1, T(30_000));
}, T(120_000));
/**
 * Leaves the vehicle as a freshly booted one: disarmed on the ground (LAND if a failed test left it flying), no
 * mission, fence or rally points, STABILIZE. Other files may run after this one, against the same vehicle.
 */
async function restore(): Promise<void> {
  const mine = (m: { sysid: number; compid: number }) => m.sysid === vehicle.sysid && m.compid === vehicle.compid;
  const hb = await gcs.next("HEARTBEAT", (_f, m) => mine(m), T(5000));
  if (((hb.fields.base_mode as number) & 128) !== 0) {
    expect(await gcs.setMode(vehicle, LAND)).toBe(0);
    await gcs.next("HEARTBEAT", (f, m) => mine(m) && ((f.base_mode as number) & 128) === 0, T(120_000));
  }
  for (const missionType of [0, 1, 2]) {
    const ack = gcs.next("MISSION_ACK", (f) => f.mission_type === missionType, T(5000));
    gcs.send("MISSION_CLEAR_ALL", { target_system: vehicle.sysid, target_component: vehicle.compid, mission_type: missionType });
    expect((await ack).fields.type).toBe(0);
  }
  if (hb.fields.custom_mode !== STABILIZE) expect(await gcs.setMode(vehicle, STABILIZE)).toBe(0);
}

afterAll(async () => {
  if (gcs && vehicle.sysid !== 0) await restore();
  await gcs?.close();
}, T(180_000));

// A story told in order (boot, arm, take off, upload, fly): never shuffled, even with --sequence.shuffle.
describe("the recorded ArduCopter flight, flown again", { shuffle: false }, () => {
  it("streams telemetry once asked", async () => {
    gcs.send("REQUEST_DATA_STREAM", { target_system: vehicle.sysid, target_component: vehicle.compid, req_stream_id: 0, req_message_rate: 4, start_stop: 1 });
    const ack = await gcs.command(vehicle, MAV_CMD.SET_MESSAGE_INTERVAL, [33, 200_000]);
    expect(ack).toBe(0);
    const pos = await gcs.next("GLOBAL_POSITION_INT", () => true, T(5000));
    expect(pos.sysid).toBe(vehicle.sysid);
    await gcs.next("ATTITUDE", () => true, T(5000));
    await gcs.next("SYS_STATUS", () => true, T(5000));
  }, T(60_000));

  it("refuses to arm until ready, with the vehicle's reasons, then arms in GUIDED", async () => {
    const retry = async (what: () => Promise<number>): Promise<number[]> => {
      const refusals: number[] = [];
      for (let attempt = 0; attempt < 240; attempt++) {
        const result = await what();
        if (result === 0) return refusals;
        refusals.push(result);
        await new Promise((r) => setTimeout(r, T(500)));
      }
      throw new Error(`still refused after 240 attempts: ${refusals.slice(-3).join(", ")}`);
    };
    const arm = () => gcs.command(vehicle, MAV_CMD.COMPONENT_ARM_DISARM, [1]);
    // Just rebooted: not ready yet.
    expect(await arm()).toBe(4); // FAILED, as ArduCopter answers
    await new Promise((r) => setTimeout(r, 300));
    const said = gcs.log.filter((p) => p.message.name === "STATUSTEXT").map((p) => p.message.fields.text as string);
    expect(said.some((t) => /^(PreArm|Arm): /.test(t))).toBe(true);
    // GUIDED needs a position estimate: ArduCopter refuses it until then.
    const modeRefusals = await retry(() => gcs.setMode(vehicle, GUIDED));
    expect(modeRefusals.every((r) => r === 4)).toBe(true);
    await gcs.next("HEARTBEAT", (f, m) => m.sysid === vehicle.sysid && f.custom_mode === GUIDED, T(3000));
    const armRefusals = await retry(arm);
    expect(armRefusals.every((r) => r === 4)).toBe(true);
    const armed = await gcs.next("HEARTBEAT", (f, m) => m.sysid === vehicle.sysid && ((f.base_mode as number) & 128) !== 0, T(3000));
    expect(armed.fields.custom_mode).toBe(GUIDED);
  }, T(180_000));

  it("takes off to 30 m in GUIDED", async () => {
    expect(await gcs.command(vehicle, MAV_CMD.NAV_TAKEOFF, [0, 0, 0, 0, 0, 0, 30])).toBe(0);
    const high = await gcs.next("GLOBAL_POSITION_INT", (f) => (f.relative_alt as number) >= 29_000, T(60_000));
    expect(high.fields.relative_alt).toBeLessThan(32_000);
  }, T(120_000));

  it("accepts the mission upload exactly as the real vehicle did (MISSION_REQUEST, not _INT)", async () => {
    const homeMsg = gcs.next("HOME_POSITION", () => true, T(5000));
    expect(await gcs.command(vehicle, MAV_CMD.REQUEST_MESSAGE, [242])).toBe(0);
    home = (await homeMsg).fields;
    const recorded = phase("UPLOAD");
    const items = recorded.filter((l) => l.dir === "GCS->VEH" && l.name === "MISSION_ITEM_INT").map((l) => ({ ...l.fields }));
    items[0] = { ...items[0]!, x: home.latitude as number, y: home.longitude as number };
    const from = gcs.log.length;
    const plan = gcs.next("STATUSTEXT", (f) => f.text === "Flight plan received", T(5000));
    expect(await gcs.uploadMission(vehicle, items)).toBe(0);
    await plan;
    sameAsRecorded(gcs.missionExchange(from), recorded);
  }, T(30_000));

  it("gives the mission back normalised as the real vehicle does (frames 6 -> 3, home absolute)", async () => {
    const from = gcs.log.length;
    const items = await gcs.downloadMission(vehicle);
    expect(items).toHaveLength(7);
    // Home is where this vehicle is, not where the recorded one was.
    expect(items[0]).toMatchObject({ seq: 0, frame: 0, command: 16, x: home.latitude, y: home.longitude });
    expect(items[0]!.z as number).toBeCloseTo((home.altitude as number) / 1000, 1);
    sameAsRecorded(gcs.missionExchange(from), phase("DOWNLOAD"), (l) => (l.fields.seq === 0 && l.name === "MISSION_ITEM_INT" ? ["x", "y", "z"] : []));
  }, T(30_000));

  it("flies the mission in AUTO with the recorded progress reports, lands and disarms", async () => {
    const from = gcs.log.length;
    expect(await gcs.setMode(vehicle, AUTO)).toBe(0);
    await gcs.next("HEARTBEAT", (f, m) => m.sysid === vehicle.sysid && f.custom_mode === AUTO, T(3000));
    await gcs.next("MISSION_ITEM_REACHED", (f) => f.seq === 6, T(120_000));
    await gcs.next("HEARTBEAT", (f, m) => m.sysid === vehicle.sysid && ((f.base_mode as number) & 128) === 0, T(30_000));
    await gcs.seen("STATUSTEXT", (f) => f.text === "Disarming motors", from, T(5000));
    const after = gcs.log.slice(from).map((p) => p.message);
    expect(after.filter((m) => m.name === "MISSION_ITEM_REACHED").map((m) => m.fields.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const missionTexts = (all: string[]) => all.filter((t) => /^(Mission: |Reached command #|Disarming motors)/.test(t));
    const recorded = missionTexts(recordedStatusTexts());
    const said = missionTexts(after.filter((m) => m.name === "STATUSTEXT").map((m) => m.fields.text as string));
    expect(said).toEqual(recorded);
    const current = after.filter((m) => m.name === "MISSION_CURRENT" && m.fields.mission_state === 3);
    expect(new Set(current.map((m) => m.fields.total))).toEqual(new Set([6]));
  }, T(180_000));

  it("answers a legacy download with MISSION_ITEM and a warning, as recorded", async () => {
    const from = gcs.log.length;
    const warning = gcs.next("STATUSTEXT", (f) => f.text === "got MISSION_REQUEST; use MISSION_REQUEST_INT!", T(5000));
    const items = await gcs.downloadMission(vehicle, true);
    expect(items).toHaveLength(7);
    await warning;
    sameAsRecorded(gcs.missionExchange(from), phase("DOWNLOAD_LEGACY"), (l) => (l.fields.seq === 0 ? ["x", "y", "z"] : []));
  }, T(30_000));
});
