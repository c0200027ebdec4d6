/**
 * Alerts end to end: a simulated ArduCopter whose battery fails reaches the rules through the real link and
 * registry; the alerts go to every signed-in socket once per episode, a pilot acknowledges one (audited, pushed
 * to all), an observer may not, and a screen connecting later gets them in its snapshot.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type { Alert, Result } from "../../server/protocol";
import { SimFleet } from "../../sitl/sim/fleet";
import { login, createUser, openSocket, startTestServer, waitFor, onLiveEvent } from "../helpers/server";
import type { LiveSocket } from "../helpers/server";

let server: RunningServer;
let fleet: SimFleet;
const sockets: LiveSocket[] = [];

async function watch(name: string): Promise<{ socket: LiveSocket; alerts: Alert[]; snapshot: Alert[] }> {
  const socket = openSocket(server.httpPort, await login(server, name));
  sockets.push(socket);
  const alerts: Alert[] = [];
  onLiveEvent(socket, "alert", (a) => alerts.push(a));
  const snapshot = await new Promise<Alert[]>((resolve, reject) => {
    socket.once("vehicles:snapshot", (s) => resolve(s.alerts ?? []));
    socket.once("connect_error", reject);
  });
  return { socket, alerts, snapshot };
}

beforeAll(async () => {
  server = await startTestServer({ links: ["udpin://127.0.0.1:0"] });
  fleet = new SimFleet({
    // The pack drops to 12 % two seconds (vehicle time) after boot: below both default thresholds (30 %, 20 %).
    vehicles: [{ sysid: 1, home: { lat: 51.5074, lon: -0.1278, altAmsl: 10 }, faults: [{ at: 2000, fault: "battery", rate: 0.12 }] }],
    transport: { kind: "udp", target: `127.0.0.1:${server.links[0]!.localAddress()!.port}` },
    bootTimeScale: 0.1,
    logger: pino({ level: "silent" }),
  });
  await createUser(server, "pia", ["pilot"]);
  await createUser(server, "olga", ["observer"]);
}, 30_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.close();
  await fleet?.stop();
});

describe("server alerts", () => {
  it("raise once per episode, reach every screen, and are acknowledged by a pilot only", async () => {
    const pilot = await watch("pia");
    const observer = await watch("olga");
    await fleet.start();
    const critical = await waitFor("battery critical alert", () => pilot.alerts.find((a) => a.rule === "battery_critical"), 20_000);
    expect(critical).toMatchObject({ key: "1:1", severity: "critical", clearedAt: null, acknowledgedBy: null });
    expect(critical.text).toMatch(/^Battery critical: 12 %/);
    await waitFor("the observer's copy", () => observer.alerts.find((a) => a.id === critical.id));
    // Telemetry keeps coming at several Hz: still one alert for the episode.
    await new Promise((r) => setTimeout(r, 1500));
    expect(new Set(pilot.alerts.filter((a) => a.rule === "battery_critical").map((a) => a.id)).size).toBe(1);

    const ack = (s: LiveSocket) => new Promise<Result<Alert>>((resolve) => s.emit("alert:ack", { id: critical.id }, resolve));
    expect(await ack(observer.socket)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const done = await ack(pilot.socket);
    expect(done).toMatchObject({ ok: true, value: { id: critical.id, acknowledgedBy: "pia" } });
    await waitFor("the acknowledgement pushed to the observer", () => observer.alerts.find((a) => a.id === critical.id && a.acknowledgedBy === "pia"));
    expect((await server.audit.list(20)).find((e) => e.action === "alert_acknowledged")).toMatchObject({ actor: "pia", result: "ok" });

    const late = await watch("olga");
    expect(late.snapshot.find((a) => a.id === critical.id)).toMatchObject({ acknowledgedBy: "pia" });
  }, 40_000);
});
