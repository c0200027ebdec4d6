/**
 * Walks every HTTP route (from the route table) and every client-to-server Socket.IO event (from the access
 * table) with no session, an expired session, each role that must be refused and the right role.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlightCatalogue } from "../../server/flights";
import { IncidentStore } from "../../server/incidents";
import { FootageCatalogue, FootageDerivativeStore, FsEvidenceStore } from "../../server/footage";
import { Retention } from "../../server/retention";
import { AppSql } from "../../server/storage";
import type { RetentionDeps } from "../../server/retention";
import type { Route } from "../../server/http";
import { MOUNTS, ROUTES } from "../../server/http";
import { COMMAND_ACCESS, CLIENT_EVENTS } from "../../server/realtime";
import { REPLAY_ROLES } from "../../server/replay";
import { io } from "socket.io-client";
import type { RunningServer } from "../../server/main";
import type { ClientToServerEvents, Result, Role } from "../../server/protocol";
import { ROLES } from "../../server/protocol";
import { FIXTURES, TEST_PASSWORD, api, createUser, login, openSocket, startTestServer, waitFor } from "../helpers/server";
import type { LiveSocket } from "../helpers/server";
import pino from "pino";
import { SimFleet } from "../../sitl/sim/fleet";

const IDLE_MS = 30 * 60_000;
let offset = 0;
let server: RunningServer;
let fleet: SimFleet;
const cookies = new Map<Role, string>();
let created = 0;

let flightId = 0;
/** A flight in the server's catalogue with the recorded fixture as its .tlog (made in beforeAll: the catalogue is async). */
async function storeFlight(): Promise<void> {
  const dataDir = path.dirname(server.db.name);
  fs.mkdirSync(path.join(dataDir, "flights"), { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, "copter_flight_1.tlog"), path.join(dataDir, "flights/access.tlog"));
  flightId = await new FlightCatalogue(server.sql).create({
    vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null }, startedAt: Date.now(),
    tlogPath: "flights/access.tlog", status: "imported", pilot: null, previousId: null, source: "import: access test",
  });
}
/** The flight stored in beforeAll. */
const flight = (): number => flightId;

/** A new open incident (version 1), made straight in the store; `closed` makes it closed (version 2). */
async function incident(opts: { closed?: boolean; linked?: boolean } = {}): Promise<{ id: number; version: number; link: number }> {
  const store = new IncidentStore(AppSql.sqlite(server.db));
  const made = await store.create({
    reference: `ACC ${++created}`, title: "Access test", type: "search", location: { kind: "point", lat: 51.5074, lon: -0.1278, radiusM: 300 },
    start: Date.now() - 3_600_000, end: null, officer: "PC 1234", notes: "",
  }, "test", Date.now());
  if ("refused" in made) throw new Error(made.message);
  const link = opts.linked ? await store.link(made.id, { kind: "flight", id: flight() }, "access test", "test", Date.now()) : null;
  if (link && "refused" in link) throw new Error(link.message);
  if (opts.closed) await store.setStatus(made.id, "closed", { version: 1, reason: "access test" }, "test", Date.now());
  return { id: made.id, version: opts.closed ? 2 : 1, link: link?.id ?? 0 };
}

/** A retention service on the server's database (its requests are the routes' to cancel). */
function retentionDeps(): Omit<RetentionDeps, "policy"> {
  const catalogue = new FootageCatalogue(server.sql);
  const incidents = new IncidentStore(AppSql.sqlite(server.db));
  return {
    sql: server.sql, footage: catalogue, sidecarSha: () => Promise.resolve(null), evidence: { remove: () => Promise.resolve() }, removeDerived: () => Promise.resolve(),
    liveLinks: (of) => incidents.liveLinks(of), audit: server.audit, log: pino({ level: "silent" }), now: Date.now,
  };
}

/** An export started in beforeAll (of an incident with nothing linked). */
let exportJob = "";
/** Its bundle's name, once made. */
let exportName = "";

/** Footage stored in beforeAll (a file in the evidence store, its row, a poster and a strip). */
let footageId = 0;
const UPLOAD_ID = "ab".repeat(16);

async function storeFootage(): Promise<void> {
  const dataDir = path.dirname(server.db.name);
  const file = path.join(dataDir, "access-footage.bin");
  fs.writeFileSync(file, "footage bytes for the access test");
  const sha256 = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  await new FsEvidenceStore(path.join(dataDir, "evidence/originals")).adopt(file, sha256);
  const catalogue = new FootageCatalogue(server.sql);
  await catalogue.startUpload(UPLOAD_ID, "reviewer", "access.mp4", 34, Date.now());
  footageId = (await catalogue.addFootage(UPLOAD_ID, {
    sha256, sizeBytes: 34, originalName: "access.mp4", sidecarName: null, uploadedBy: "reviewer", uploadedAt: Date.now(),
    probe: { format: "mov,mp4", durationS: 1, video: { codec: "h264", width: 2, height: 2, fps: 25, frames: 25 }, audio: null,
      creationTime: new Date().toISOString(), timecode: null, location: null, device: {}, browserPlayable: true },
  })).footage.id;
  const derived = path.join(dataDir, "derived/footage", sha256);
  fs.mkdirSync(derived, { recursive: true });
  for (const name of ["poster.jpg", "strip.jpg"]) fs.writeFileSync(path.join(derived, name), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  // A clip of it, stored as a derivative is (its own file in the evidence store, its row).
  const clip = path.join(dataDir, "access-clip.bin");
  fs.writeFileSync(clip, "a clip's bytes for the access test");
  const clipSha = createHash("sha256").update(fs.readFileSync(clip)).digest("hex");
  await new FsEvidenceStore(path.join(dataDir, "evidence/originals")).adopt(clip, clipSha);
  const f = (await catalogue.get(footageId))!;
  derivativeId = (await new FootageDerivativeStore(server.sql).add({
    footageId, kind: "clip", fromS: 0, toS: 0.5, parentSha256: sha256, sha256: clipSha, sizeBytes: 34, command: ["ffmpeg", "-i", "in", "out.mp4"],
    ffmpegVersion: "ffmpeg version test", probe: f.probe, requestedBy: "reviewer", requestedAt: Date.now(), madeAt: Date.now(), reason: "access test",
  })).id;
}

/** The derivative stored in beforeAll. */
let derivativeId = 0;

/** An import of the reviewer's (made in beforeAll): a job's progress is its owner's to read. */
let importJob = "";

/** A valid request for each route ("METHOD path"); a route missing here fails the test. */
/** A sidecar that reads: one cue with a time and a place. */
const SRT = "1\n00:00:00,000 --> 00:00:00,040\n2026-11-21 10:00:00.000\n[latitude: 51.5074] [longitude: -0.1278]\n";
/** A new footage row for each sidecar sent (a footage file takes one sidecar). */
async function sidecarTarget(): Promise<number> {
  const catalogue = new FootageCatalogue(server.sql);
  const upload = createHash("md5").update(String(++created)).digest("hex");
  await catalogue.startUpload(upload, "reviewer", "side.mp4", 1, Date.now());
  const f = (await catalogue.get(footageId))!;
  return (await catalogue.addFootage(upload, { ...f, sha256: createHash("sha256").update(upload).digest("hex") })).footage.id;
}

type Sample = { path: string; body?: unknown; text?: string; form?: FormData; endsSession?: boolean };
const SAMPLES: Record<string, () => Sample | Promise<Sample>> = {
  "get /api/health": () => ({ path: "/api/health" }),
  "get /healthz": () => ({ path: "/healthz" }),
  "get /api/vehicles": () => ({ path: "/api/vehicles" }),
  "get /api/config": () => ({ path: "/api/config" }),
  "get /api/auth/status": () => ({ path: "/api/auth/status" }),
  "post /api/auth/login": () => ({ path: "/api/auth/login", body: { name: "observer", password: TEST_PASSWORD } }),
  "post /api/auth/logout": () => ({ path: "/api/auth/logout", endsSession: true }),
  "get /api/auth/me": () => ({ path: "/api/auth/me" }),
  "get /api/users": () => ({ path: "/api/users" }),
  "get /api/audit/checkpoint": () => ({ path: "/api/audit/checkpoint" }),
  "post /api/users": () => ({ path: "/api/users", body: { name: `new${++created}`, password: TEST_PASSWORD, roles: ["observer"] } }),
  "patch /api/users/:name": () => ({ path: "/api/users/target", body: { roles: ["observer", "reviewer"] } }),
  "post /api/users/:name/password": () => ({ path: "/api/users/target/password", body: { password: "another long passphrase" } }),
  "post /api/missions/import": () => ({ path: "/api/missions/import", body: { fileName: "m.waypoints", text: "QGC WPL 110\n0\t1\t0\t16\t0\t0\t0\t0\t51.5\t-0.12\t10\t1\n" } }),
  "post /api/missions/export": () => ({ path: "/api/missions/export", body: { format: "plan", plan: { home: null, items: [], fence: { polygons: [], circles: [] }, rally: [] } } }),
  "get /api/flights": () => ({ path: "/api/flights?vehicle=1:1&limit=10" }),
  "get /api/flights/:id": () => ({ path: `/api/flights/${flight()}` }),
  "get /api/flights/:id/track": () => ({ path: `/api/flights/${flight()}/track?tolerance=5` }),
  "get /api/flights/:id/series": () => ({ path: `/api/flights/${flight()}/series?kind=position&fields=lat,lon` }),
  "get /api/flights/:id/export": () => ({ path: `/api/flights/${flight()}/export?format=gpx` }),
  "get /api/flights/:id/messages": () => ({ path: `/api/flights/${flight()}/messages` }),
  "get /api/flights/:id/report": () => ({ path: `/api/flights/${flight()}/report?print=1` }),
  "get /api/flights/:id/charts": () => ({ path: `/api/flights/${flight()}/charts` }),
  "post /api/flights/:id/notes": () => ({ path: `/api/flights/${flight()}/notes`, body: { text: "access test" } }),
  "post /api/flights/:id/verify": () => ({ path: `/api/flights/${flight()}/verify` }),
  "get /api/flights/:id/bookmarks": () => ({ path: `/api/flights/${flight()}/bookmarks` }),
  "post /api/flights/:id/bookmarks": async () => ({
    path: `/api/flights/${flight()}/bookmarks`,
    body: { time: (await new FlightCatalogue(server.sql).get(flight()))!.startedAt, note: "access test" },
  }),
  "post /api/flights/import": () => {
    const form = new FormData();
    form.append("file", new Blob([fs.readFileSync(path.join(FIXTURES, "probe_streams_fresh.tlog"))]), "probe.tlog");
    return { path: "/api/flights/import", form };
  },
  "get /api/flights/import/:id": () => ({ path: `/api/flights/import/${importJob}` }),
  "get /tiles/:z/:x/:y": () => ({ path: "/tiles/0/0/0" }),
  "get /api/incidents": () => ({ path: "/api/incidents?status=open&limit=10" }),
  "post /api/incidents": () => ({
    path: "/api/incidents",
    body: { reference: `cad ${++created}/05dec26`, title: "Access test", type: "missing_person", location: null, start: 1, end: null, officer: "PC 1", notes: "" },
  }),
  "get /api/incidents/:id": async () => ({ path: `/api/incidents/${(await incident()).id}` }),
  "patch /api/incidents/:id": async () => ({ path: `/api/incidents/${(await incident()).id}`, body: { version: 1, title: "Renamed" } }),
  "post /api/incidents/:id/close": async () => ({ path: `/api/incidents/${(await incident()).id}/close`, body: { version: 1, reason: "stood down" } }),
  "post /api/incidents/:id/reopen": async () => ({ path: `/api/incidents/${(await incident({ closed: true })).id}/reopen`, body: { version: 2, reason: "new lead" } }),
  "post /api/incidents/:id/links": async () => ({ path: `/api/incidents/${(await incident()).id}/links`, body: { kind: "flight", id: flight(), reason: "overflew" } }),
  "post /api/incidents/:id/links/:linkId/unlink": async () => {
    const i = await incident({ linked: true });
    return { path: `/api/incidents/${i.id}/links/${i.link}/unlink`, body: { reason: "wrong job" } };
  },
  "get /api/incidents/:id/suggestions": async () => ({ path: `/api/incidents/${(await incident()).id}/suggestions` }),
  "get /api/flights/:id/incidents": () => ({ path: `/api/flights/${flight()}/incidents` }),
  "get /api/footage": () => ({ path: "/api/footage?limit=5" }),
  "get /api/footage/ingest/:upload": () => ({ path: `/api/footage/ingest/${UPLOAD_ID}` }),
  "get /api/footage/:id": () => ({ path: `/api/footage/${footageId}` }),
  "get /api/footage/:id/stream": () => ({ path: `/api/footage/${footageId}/stream` }),
  "get /api/footage/:id/original": () => ({ path: `/api/footage/${footageId}/original` }),
  "get /api/footage/:id/poster.jpg": () => ({ path: `/api/footage/${footageId}/poster.jpg` }),
  "get /api/footage/:id/strip.jpg": () => ({ path: `/api/footage/${footageId}/strip.jpg` }),
  "get /api/footage/:id/incidents": () => ({ path: `/api/footage/${footageId}/incidents` }),
  "post /api/footage/:id/sidecar": async () => ({ path: `/api/footage/${await sidecarTarget()}/sidecar?name=A.SRT`, text: SRT }),
  "get /api/footage/:id/track": () => ({ path: `/api/footage/${footageId}/track` }),
  "get /api/footage/:id/sync": () => ({ path: `/api/footage/${footageId}/sync` }),
  "post /api/footage/:id/sync/auto": () => ({ path: `/api/footage/${footageId}/sync/auto`, body: { flightId: flight() } }),
  "post /api/footage/:id/sync": () => ({ path: `/api/footage/${footageId}/sync`, body: { flightId: flight(), startsAt: Date.now(), reason: "access test" } }),
  "get /api/flights/:id/footage": () => ({ path: `/api/flights/${flight()}/footage` }),
  "post /api/footage/:id/derivatives": () => ({ path: `/api/footage/${footageId}/derivatives`, body: { kind: "clip", from: 0, to: 0.5, reason: "access test" } }),
  "get /api/footage/:id/derivatives": () => ({ path: `/api/footage/${footageId}/derivatives` }),
  "get /api/footage/derivatives/:did/stream": () => ({ path: `/api/footage/derivatives/${derivativeId}/stream` }),
  "get /api/footage/derivatives/:did/download": () => ({ path: `/api/footage/derivatives/${derivativeId}/download` }),
  "get /api/incidents/:id/custody": async () => ({ path: `/api/incidents/${(await incident({ linked: true })).id}/custody?format=csv` }),
  "get /api/flights/:id/custody": () => ({ path: `/api/flights/${flight()}/custody` }),
  "get /api/footage/:id/custody": () => ({ path: `/api/footage/${footageId}/custody?format=json` }),
  "post /api/incidents/:id/export": async () => ({ path: `/api/incidents/${(await incident()).id}/export` }),
  "get /api/exports/jobs/:job": () => ({ path: `/api/exports/jobs/${exportJob}` }),
  "get /api/exports": () => ({ path: "/api/exports" }),
  "get /api/incidents/:id/exports": async () => ({ path: `/api/incidents/${(await incident()).id}/exports` }),
  "get /api/exports/:name/download": () => ({ path: `/api/exports/${exportName}/download` }),
  "get /api/evidence/sweep": () => ({ path: "/api/evidence/sweep" }),
  "post /api/evidence/sweep": () => ({ path: "/api/evidence/sweep" }),
  "get /api/retention": () => ({ path: "/api/retention" }),
  "post /api/retention/deletions": async () => ({ path: "/api/retention/deletions", body: { kind: "footage", id: await sidecarTarget(), reason: "access test" } }),
  "post /api/retention/deletions/:id/cancel": async () => {
    const req = await new Retention({ ...retentionDeps(), policy: { nonEvidentialDays: 31, evidentialDays: 2557, recoveryDays: 7 } })
      .request(await sidecarTarget(), "access test", { name: "test", address: "" });
    if ("refused" in req) throw new Error(req.message);
    return { path: `/api/retention/deletions/${req.id}/cancel`, body: { reason: "access test" } };
  },
  "post /api/retention/sweep": () => ({ path: "/api/retention/sweep" }),
};

async function call(route: Route, cookie: string | null): Promise<Response> {
  const sample = await SAMPLES[`${route.method} ${route.path}`]!();
  return api(server, cookie, sample.path, {
    method: route.method.toUpperCase(),
    ...(sample.body !== undefined ? { body: JSON.stringify(sample.body) } : {}),
    ...(sample.text !== undefined ? { body: sample.text, headers: { "content-type": "text/plain" } } : {}),
    // multipart: fetch sets the content type with its boundary (api() adds JSON only for string bodies).
    ...(sample.form !== undefined ? { body: sample.form } : {}),
  });
}

const refused = (access: Route["access"] | readonly Role[]): Role[] => (access === "public" ? [] : ROLES.filter((r) => !access.includes(r)));
const allowed = (access: readonly Role[]): Role[] => ROLES.filter((r) => access.includes(r));

beforeAll(async () => {
  server = await startTestServer({ tileUrl: `file://${FIXTURES}/tiles/{z}/{x}/{y}.png` }, { clock: () => Date.now() + offset, sessionLimits: { idleMs: IDLE_MS, absoluteMs: 12 * 3_600_000 } });
  for (const role of ROLES) await createUser(server, role, [role]);
  await createUser(server, "target", ["observer"]);
  for (const role of ROLES) cookies.set(role, await login(server, role));
  await storeFlight();
  await storeFootage();
  const started = await api(server, cookies.get("reviewer")!, `/api/incidents/${(await incident()).id}/export`, { method: "POST" });
  exportJob = ((await started.json()) as { id: string }).id;
  exportName = await waitFor("the export", async () => {
    const job = (await (await api(server, cookies.get("reviewer")!, `/api/exports/jobs/${exportJob}`)).json()) as { state: string; result: { name: string } | null };
    return job.state === "done" ? job.result!.name : null;
  }, 30_000);
  const form = new FormData();
  form.append("file", new Blob([fs.readFileSync(path.join(FIXTURES, "probe_streams_fresh.tlog"))]), "job.tlog");
  const reviewer = cookies.get("reviewer")!;
  const job = await api(server, reviewer, "/api/flights/import", { method: "POST", body: form, headers: { prefer: "respond-async" } });
  importJob = ((await job.json()) as { id: string }).id;
  await waitFor("the import job", async () => ((await (await api(server, reviewer, `/api/flights/import/${importJob}`)).json()) as { phase: string }).phase === "done", 15_000);
  // A simulated ArduCopter that answers commands and the mission protocol, so allowed requests really succeed.
  fleet = new SimFleet({
    vehicles: [{ sysid: 1, home: { lat: 51.5074, lon: -0.1278, altAmsl: 10 } }],
    transport: { kind: "udp", target: `127.0.0.1:${server.links[0]!.localAddress()!.port}` },
    bootTimeScale: 0.1,
    logger: pino({ level: "silent" }),
  });
  await fleet.start();
  await waitFor("vehicle 1:1", () => server.registry.get("1:1", Date.now()), 15_000);
}, 30_000);
afterAll(async () => {
  await fleet?.stop();
  await server?.close();
});

describe("the route table", () => {
  it("holds every API route the app serves, and each has a sample request here", () => {
    const mounted: string[] = [];
    const stack = (server.app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
    for (const layer of stack) {
      const r = layer.route;
      if (!r || !(r.path.startsWith("/api/") || r.path.startsWith("/tiles/") || r.path === "/healthz") || r.path === "/api/{*rest}") continue;
      // A mounted protocol answers every method under its prefix; its access is checked below.
      if (MOUNTS.some((m) => r.path === m.path || r.path.startsWith(`${m.path}/`))) continue;
      for (const m of Object.keys(r.methods)) if (m !== "_all") mounted.push(`${m} ${r.path}`);
    }
    const table = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(mounted.sort()).toEqual([...table].sort());
    for (const key of table) expect(SAMPLES[key], `no sample request for ${key}`).toBeDefined();
    // Only the login page's needs are public, and the monitors' health check.
    expect(ROUTES.filter((r) => r.access === "public").map((r) => `${r.method} ${r.path}`).sort())
      .toEqual(["get /api/auth/status", "get /healthz", "post /api/auth/login"]);
  });
});

describe.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))("%s", (_name, route) => {
  it("without a session: 401 unless public", async () => {
    const res = await call(route, null);
    if (route.access === "public") {
      expect(res.status).toBeLessThan(300);
    } else {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "unauthenticated" } });
    }
  });

  it("with a session of each role that must be refused: 403", async () => {
    for (const role of refused(route.access)) {
      const res = await call(route, cookies.get(role)!);
      expect(res.status, `${role}`).toBe(403);
      const access = route.access as readonly Role[];
      expect(await res.json()).toEqual({ error: { code: "forbidden", message: `needs role ${access.join(" or ")}` } });
    }
  });

  it("with the right role: success", async () => {
    const roles = route.access === "public" ? [null] : allowed(route.access);
    for (const role of roles) {
      const sample = await SAMPLES[`${route.method} ${route.path}`]!();
      const cookie = role === null ? null : sample.endsSession ? await login(server, role) : cookies.get(role)!;
      const res = await call(route, cookie);
      expect(res.status, `${role ?? "anyone"}: ${res.status}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `${role ?? "anyone"}`).toBeLessThan(300);
    }
  });
});

describe.each(MOUNTS.map((m) => [m.path, m] as const))("mounted protocol %s", (mountPath, mount) => {
  const create = (cookie: string | null) => api(server, cookie, mountPath, {
    method: "POST",
    headers: { "tus-resumable": "1.0.0", "upload-length": "10", "upload-metadata": `filename ${Buffer.from("a.mp4").toString("base64")}` },
  });

  it("states its roles, and refuses without a session (401) and each other role (403)", async () => {
    expect(mount.access.length).toBeGreaterThan(0);
    expect((await create(null)).status).toBe(401);
    for (const role of refused(mount.access)) {
      const res = await create(cookies.get(role)!);
      expect(res.status, role).toBe(403);
    }
  });

  it("serves each role it names", async () => {
    for (const role of allowed(mount.access)) expect((await create(cookies.get(role)!)).status, role).toBe(201);
  });
});

type Ack = Result<unknown>;
function emit(socket: LiveSocket, event: keyof ClientToServerEvents, payload: unknown): Promise<Ack> {
  const send = socket.emit.bind(socket) as unknown as (e: string, p: unknown, ack: (r: Ack) => void) => void;
  return new Promise((resolve) => send(event, payload, resolve));
}

async function connect(cookie: string | null): Promise<LiveSocket | string> {
  const socket = openSocket(server.httpPort, cookie);
  return new Promise((resolve) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}

const PLAN = {
  home: null,
  items: [{ command: 22, frame: 3, params: [0, 0, 0, null], lat: 51.5074, lon: -0.1278, alt: 20, autocontinue: true }],
  fence: { polygons: [], circles: [] },
  rally: [],
};
const takeFirst = (s: LiveSocket) => emit(s, "control:take", { key: "1:1" });
/** Held by someone before a release: by this socket's user if a pilot, else by the pilot (an admin releases anyone's). */
const heldFirst = async (s: LiveSocket) => {
  const r = await takeFirst(s);
  if (!r.ok) server.control.take("1:1", { name: "pilot", sessionHash: "access-test", address: "" });
};
const letGo = (user: string) => () => server.control.sessionsEnded({ user }, "test");

/**
 * A valid payload for each event, what it needs before it can succeed, and how to leave things as they were.
 * `accept` names an error code that still proves access was granted (the request reached the service).
 */
const EVENT_SETUP: Record<keyof ClientToServerEvents, {
  payload: unknown; before?: (s: LiveSocket) => Promise<unknown>; after?: () => void; accept?: string;
}> = {
  "vehicles:watch": { payload: { keys: ["1:1"] } },
  "control:take": { payload: { key: "1:1" }, after: letGo("pilot") },
  "control:release": { payload: { key: "1:1" }, before: heldFirst },
  "control:override": { payload: { key: "1:1" }, after: letGo("admin") },
  "vehicle:command": { payload: { key: "1:1", command: { kind: "speed", mps: 5 } }, before: takeFirst, after: letGo("pilot") },
  "mission:upload": { payload: { key: "1:1", plan: PLAN }, before: takeFirst, after: letGo("pilot") },
  "mission:download": { payload: { key: "1:1" } },
  "mission:clear": { payload: { key: "1:1" }, before: takeFirst, after: letGo("pilot") },
  // No alert may exist yet: reaching the alert service and being told so proves access.
  "alert:ack": { payload: { id: 999_999 }, accept: "not_found" },
};

describe.each(CLIENT_EVENTS.map((e) => [e] as const))("socket event %s", (event) => {
  const access = COMMAND_ACCESS[event];

  it("without a session: the connection is refused", async () => {
    expect(await connect(null)).toBe("unauthenticated");
    expect(await connect("dmc_session=not-a-token")).toBe("unauthenticated");
  });

  it("with a role that must be refused: forbidden", async () => {
    for (const role of refused(access.roles)) {
      const socket = await connect(cookies.get(role)!);
      if (typeof socket === "string") throw new Error(socket);
      expect(await emit(socket, event, EVENT_SETUP[event].payload), role).toEqual({ ok: false, error: { code: "forbidden", message: `needs role ${access.roles.join(" or ")}` } });
      socket.close();
    }
  });

  it("with the right role: a bad payload is bad_request, a good one succeeds", async () => {
    for (const role of allowed(access.roles)) {
      const socket = await connect(cookies.get(role)!);
      if (typeof socket === "string") throw new Error(socket);
      expect(await emit(socket, event, { key: 42 })).toMatchObject({ ok: false, error: { code: "bad_request" } });
      expect(await emit(socket, event, "1:1")).toMatchObject({ ok: false, error: { code: "bad_request" } });
      const setup = EVENT_SETUP[event];
      await setup.before?.(socket);
      const r = await emit(socket, event, setup.payload);
      if (setup.accept !== undefined && !r.ok) expect(r.error.code, `${role}: ${JSON.stringify(r)}`).toBe(setup.accept);
      else expect(r, `${role}: ${JSON.stringify(r)}`).toMatchObject({ ok: true });
      EVENT_SETUP[event].after?.();
      socket.close();
    }
  });
});

describe("the /replay namespace", () => {
  /** The handshake's answer for a role: "connected", or the refusal. */
  const handshake = async (cookie: string | null) => {
    const socket = io(`http://127.0.0.1:${server.httpPort}/replay`, {
      transports: ["websocket"], reconnection: false,
      extraHeaders: { origin: `http://127.0.0.1:${server.httpPort}`, ...(cookie ? { cookie } : {}) },
    });
    try {
      return await new Promise<string>((resolve) => {
        socket.once("connect", () => resolve("connected"));
        socket.once("connect_error", (err) => resolve(err.message));
      });
    } finally {
      socket.close();
    }
  };

  it("lets reviewers and admins in, refuses every other role (forbidden) and no session (unauthenticated)", async () => {
    expect(await handshake(null)).toBe("unauthenticated");
    for (const role of ROLES) {
      expect(await handshake(cookies.get(role)!), role).toBe(REPLAY_ROLES.includes(role) ? "connected" : "forbidden");
    }
  });
});

describe("an expired (idle) session", () => {
  it("is refused on every route with 401, and at the socket handshake", async () => {
    for (const route of ROUTES.filter((r) => r.access !== "public")) {
      const role = allowed(route.access as readonly Role[])[0]!;
      const cookie = await login(server, role);
      offset += IDLE_MS + 1000;
      const res = await call(route, cookie);
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
    for (const event of CLIENT_EVENTS) {
      const cookie = await login(server, allowed(COMMAND_ACCESS[event].roles)[0]!);
      offset += IDLE_MS + 1000;
      expect(await connect(cookie), event).toBe("unauthenticated");
    }
    // A password check (deliberately slow) per route and event: the time grows with the route table.
  }, 120_000);
});
