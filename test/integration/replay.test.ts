/**
 * The reviewers' replay on a running server: the "/replay" namespace on the live io server (same origin and
 * cookie checks, reviewers and admins only), real ReplaySessions playing an imported recording of a real
 * ArduCopter, the audit of every open, /api/health's count, and the session's end reaching the replay socket.
 */
import fs from "node:fs";
import path from "node:path";
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type {
  Bookmark, FlightSummary, HealthResponse, ReplayClientEvents, ReplayInfo, ReplayServerEvents, ReplayState, Result, VehicleState,
} from "../../server/protocol";
import { FIXTURES, api, signIn, startTestServer, waitFor } from "../helpers/server";

type ReplayClient = Socket<ReplayServerEvents, ReplayClientEvents>;

let server: RunningServer;
let reviewer: string;
let flight: FlightSummary;

beforeAll(async () => {
  server = await startTestServer();
  reviewer = await signIn(server, ["reviewer"], "rita");
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(fs.readFileSync(path.join(FIXTURES, "copter_flight_1.tlog")))]), "copter_flight_1.tlog");
  const report = (await (await api(server, reviewer, "/api/flights/import", { method: "POST", body: form })).json()) as { flights: { id: number }[] };
  flight = (await (await api(server, reviewer, `/api/flights/${report.flights[0]!.id}`)).json()) as FlightSummary;
}, 30_000);
afterAll(async () => server?.close());

/** A client of the namespace, as a browser page of the server would open it (its own Origin). */
function connect(cookie: string | null, origin = `http://127.0.0.1:${server.httpPort}`): Promise<ReplayClient | string> {
  const socket: ReplayClient = io(`http://127.0.0.1:${server.httpPort}/replay`, {
    transports: ["websocket"], reconnection: false, extraHeaders: cookie ? { cookie, origin } : { origin },
  });
  return new Promise((resolve) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}

async function connected(cookie: string): Promise<ReplayClient> {
  const s = await connect(cookie);
  if (typeof s === "string") throw new Error(s);
  return s;
}

const open = (s: ReplayClient, flights: number[]) =>
  new Promise<Result<ReplayInfo>>((resolve) => s.emit("replay:open", { flights }, resolve));
const control = (s: ReplayClient, c: Parameters<ReplayClientEvents["replay:control"]>[0]) =>
  new Promise<Result<ReplayState>>((resolve) => s.emit("replay:control", c, resolve));
const health = async () => ((await (await api(server, reviewer, "/api/health")).json()) as HealthResponse).replaySessions;

describe("the /replay namespace", () => {
  it("refuses no session, observers, pilots and a foreign origin at the handshake; lets reviewers and admins in", async () => {
    expect(await connect(null)).toBe("unauthenticated");
    expect(await connect("dmc_session=not-a-token")).toBe("unauthenticated");
    expect(await connect(await signIn(server, ["observer"]))).toBe("forbidden");
    expect(await connect(await signIn(server, ["pilot"]))).toBe("forbidden");
    expect(typeof (await connect(reviewer, "http://evil.example"))).toBe("string");
    for (const cookie of [reviewer, await signIn(server, ["admin"])]) (await connected(cookie)).close();
  });

  it("replays a recorded flight through the live pipeline, audited, counted in /api/health", async () => {
    const s = await connected(reviewer);
    const latest = new Map<string, VehicleState>();
    const states: ReplayState[] = [];
    let frames = 0;
    s.on("vehicles:snapshot", (snap) => snap.vehicles.forEach((v) => latest.set(v.key, v)));
    s.on("vehicles:frame", (f) => {
      frames++;
      f.vehicles.forEach((v) => latest.set(v.key, v));
    });
    s.on("replay:state", (st) => states.push(st));

    expect(await open(s, [999_999])).toMatchObject({ ok: false, error: { code: "not_found" } });
    const mark = await api(server, reviewer, `/api/flights/${flight.id}/bookmarks`, {
      method: "POST", body: JSON.stringify({ time: flight.startedAt + 30_000, note: "look here" }),
    });
    const bookmark = (await mark.json()) as Bookmark;
    const opened = await open(s, [flight.id]);
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    const info = opened.value;
    expect(info.flights).toMatchObject([{ id: flight.id, vehicle: "1:1", shiftMs: 0, sha256: flight.sha256 }]);
    expect(info.start).toBeLessThanOrEqual(flight.startedAt + 1000);
    expect(info.end).toBeGreaterThanOrEqual(flight.endedAt! - 1000);
    expect(info.marks.map((m) => m.kind)).toEqual(expect.arrayContaining(["armed", "disarmed", "mode"]));
    // The reviewers' bookmarks are on the timeline.
    expect(info.marks).toContainEqual(expect.objectContaining({ kind: "bookmark", bookmarkId: bookmark.id, time: bookmark.time }));
    expect(await health()).toBe(1);
    expect((await server.audit.list(5)).find((e) => e.action === "replay_opened" && e.result === "ok"))
      .toMatchObject({ actor: "rita", target: `flight:${flight.id}` });

    expect(await control(s, { action: "speed", speed: "max" })).toMatchObject({ ok: true, value: { speed: "max" } });
    expect(await control(s, { action: "play" })).toMatchObject({ ok: true, value: { playing: true } });
    await waitFor("the end of the flight", () => states.some((st) => st.ended), 60_000);
    expect(frames).toBeGreaterThan(0);
    // Played to the end: landed and disarmed, as the recording ends.
    expect(latest.get("1:1")).toMatchObject({ armed: false });

    const seek = await control(s, { action: "seek", time: info.start + 60_000 });
    expect(seek).toMatchObject({ ok: true, value: { time: info.start + 60_000, ended: false } });
    s.close();
    await waitFor("the session closed with its socket", async () => (await health()) === 0);
  }, 90_000);

  it("closes the replay when the user's session ends (logout): replay:closed, then the socket goes", async () => {
    const cookie = await signIn(server, ["reviewer"], "rob");
    const s = await connected(cookie);
    const closed: string[] = [];
    s.on("replay:closed", (reason) => closed.push(reason));
    expect((await open(s, [flight.id])).ok).toBe(true);
    expect(await health()).toBe(1);
    const gone = new Promise<void>((resolve) => s.once("disconnect", () => resolve()));
    expect((await api(server, cookie, "/api/auth/logout", { method: "POST" })).status).toBeLessThan(300);
    await gone;
    expect(closed).toHaveLength(1);
    await waitFor("the session closed", async () => (await health()) === 0);
  });
});
