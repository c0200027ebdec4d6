import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createLink } from "../../server/mavlink";
import type { MavLink } from "../../server/mavlink";
import type { RunningServer } from "../../server/main";
import type { Alert, ReplayState, Snapshot, WholeVehicleFrame, VehicleState } from "../../server/protocol";
import { DEFAULT_ALERT_CONFIG } from "../../server/config";
import { FlightPipeline, ReplaySessions } from "../../server/replay";
import type { ReplaySink } from "../../server/replay";
import { flightOf } from "../../server/replay/sessions.testkit";
import { TlogPlayer } from "../../sitl";
import { FIXTURES, connectClient, signIn, startTestServer, waitFor, onLiveEvent } from "../helpers/server";
import { flightEntries } from "../helpers/udp";

/**
 * The tracker item's equivalence: copter_flight_1.tlog streamed through a live link into the server, and the same
 * recording replayed, give the same vehicle states and the same alerts. Live frames come at wall-clock ticks, so each
 * live state is looked for in the replay's states after every packet, in order: every state a live screen showed is
 * one the replay passes through, and they end the same.
 */
const entries = flightEntries();
const SPEED = 40;

const essentials = (v: VehicleState) => ({
  position: v.position, mode: v.mode, armed: v.armed, battery: v.battery, mission: v.mission?.current ?? null,
});
type Essentials = ReturnType<typeof essentials>;
const same = (a: Essentials, b: Essentials) => JSON.stringify(a) === JSON.stringify(b);
const alertKey = (a: Alert) => `${a.rule} ${a.severity} ${a.text.replace(/ \(seen \d+ times\)$/, "")}`;

/** The replay pipeline's state after every packet of the file (consecutive repeats dropped). */
function replayStates(): Essentials[] {
  const p = new FlightPipeline({ alerts: DEFAULT_ALERT_CONFIG, log: pino({ level: "silent" }) }, {});
  const out: Essentials[] = [];
  for (const e of entries) {
    const time = e.timeUs / 1000;
    p.packet(e.frame, time);
    const v = p.registry.get("1:1", time);
    if (!v) continue;
    const s = essentials(v);
    if (out.length === 0 || !same(out[out.length - 1]!, s)) out.push(s);
  }
  return out;
}

class Sink implements ReplaySink {
  alerts: Alert[] = [];
  ended = false;
  onEnd: (() => void) | null = null;
  snapshot(_s: Snapshot): void {}
  frame(_f: WholeVehicleFrame): void {}
  statusText(): void {}
  link(): void {}
  event(): void {}
  alert(a: Alert): void {
    this.alerts.push(a);
  }
  mission(): void {}
  state(s: ReplayState): void {
    if (s.ended && !this.ended) {
      this.ended = true;
      this.onEnd?.();
    }
  }
}

/** The whole recording replayed by a session at "max": the alerts it raised. */
async function replayAlerts(): Promise<Alert[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-replay-eq-"));
  fs.copyFileSync(path.join(FIXTURES, "copter_flight_1.tlog"), path.join(dataDir, "f.tlog"));
  const flight = flightOf(1, "f.tlog");
  const sessions = new ReplaySessions({
    catalogue: { get: () => Promise.resolve(flight) }, integrity: { current: (f) => Promise.resolve(f) }, bookmarksOf: () => Promise.resolve([]), dataDir,
    log: pino({ level: "silent" }), tickMs: 10,
  });
  const sink = new Sink();
  const opened = await sessions.open("reviewer", { flights: [1] }, sink);
  if (!opened.ok) throw new Error(opened.error.message);
  const done = new Promise<void>((resolve) => { sink.onEnd = resolve; });
  opened.value.control({ action: "speed", speed: "max" });
  opened.value.control({ action: "play" });
  await done;
  await sessions.stop();
  return sink.alerts;
}

let server: RunningServer | undefined;
let playerLink: MavLink | undefined;
afterEach(async () => {
  await playerLink?.close();
  await server?.close();
  server = playerLink = undefined;
});

describe("live and replay give the same vehicle and the same alerts (copter_flight_1.tlog)", () => {
  it("every state a live screen showed is one the replay goes through, in order; the same alerts are raised", async () => {
    server = await startTestServer({ links: ["udpin://127.0.0.1:0"] });
    const port = server.links[0]!.localAddress()!.port;
    playerLink = createLink(`udpout://127.0.0.1:${port}`, { id: "player", logger: pino({ level: "silent" }) });
    await playerLink.start();
    const client = await connectClient(server.httpPort, await signIn(server, ["observer"]));
    const liveAlerts: Alert[] = [];
    onLiveEvent(client.socket, "alert", (a) => liveAlerts.push(a));
    await new TlogPlayer(entries, playerLink, { speed: SPEED }).play();
    await waitFor("the landing", () => client.latest.get("1:1")?.armed === false && client.latest.get("1:1")?.mission?.reached.length === 6);
    const replay = replayStates();
    // The last packets may still be on their way when the landing is seen: the live screen ends where the replay does.
    await waitFor("the last packet", () => same(essentials(client.latest.get("1:1")!), replay[replay.length - 1]!));
    client.socket.close();

    const live = client.frames.flatMap((f) => f.vehicles).filter((v) => v.key === "1:1").map(essentials);
    expect(live.length).toBeGreaterThan(30);
    let at = 0;
    const unmatched: Essentials[] = [];
    for (const s of live) {
      const i = replay.findIndex((r, j) => j >= at && same(r, s));
      if (i < 0) unmatched.push(s);
      else at = i;
    }
    expect(unmatched).toEqual([]);

    const replayed = await replayAlerts();
    const ofVehicle = (list: Alert[]) => [...new Set(list.filter((a) => a.key === "1:1").map(alertKey))].sort();
    expect(ofVehicle(replayed)).toEqual(ofVehicle(liveAlerts));
    expect(ofVehicle(replayed)).toContain("statustext warning got MISSION_REQUEST; use MISSION_REQUEST_INT!");
  }, 60_000);
});
