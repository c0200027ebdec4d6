/**
 * Incidents over the REST API of a running server: created and edited by reviewers with every change kept, refused
 * with the reason when wrong, a recorded flight suggested from its track and linked with a reason, all audited; the
 * control room's live map (a real Socket.IO client of an observer) is told of open incidents and of one closing.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type {
  FlightSummary, Incident, IncidentDetail, IncidentLink, IncidentMarker, IncidentSuggestions, IncidentsPage,
} from "../../server/protocol";
import { FIXTURES, api, openSocket, signIn, startTestServer } from "../helpers/server";
import type { LiveSocket } from "../helpers/server";

let server: RunningServer;
let reviewer: string;
let observer: string;
let flight: FlightSummary;
let socket: LiveSocket | null = null;

beforeAll(async () => {
  server = await startTestServer();
  reviewer = await signIn(server, ["reviewer"], "rita");
  observer = await signIn(server, ["observer"], "olly");
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(fs.readFileSync(path.join(FIXTURES, "copter_flight_1.tlog")))]), "copter_flight_1.tlog");
  const report = (await (await api(server, reviewer, "/api/flights/import", { method: "POST", body: form })).json()) as { flights: { id: number }[] };
  flight = (await (await api(server, reviewer, `/api/flights/${report.flights[0]!.id}`)).json()) as FlightSummary;
}, 30_000);
afterAll(async () => {
  socket?.close();
  await server?.close();
});

const send = (method: string, url: string, body: unknown, cookie = reviewer) =>
  api(server, cookie, url, { method, body: JSON.stringify(body) });

/** The fixture flies a 100 m square around Trafalgar Square: the area covers its north-east corner. */
const AREA = { kind: "area", points: [{ lat: 51.5078, lon: -0.1283 }, { lat: 51.5090, lon: -0.1283 }, { lat: 51.5090, lon: -0.1270 }, { lat: 51.5078, lon: -0.1270 }] };

describe("incidents", () => {
  it("a reviewer creates, edits and closes an incident; the record keeps every change; mistakes get the reason", async () => {
    socket = openSocket(server.httpPort, observer);
    const snapshot = new Promise<IncidentMarker[] | undefined>((resolve) => socket!.once("vehicles:snapshot", (s) => resolve(s.incidents)));
    expect(await snapshot).toEqual([]);
    const told: IncidentMarker[][] = [];
    socket.on("incidents:open", (m) => told.push(m));

    const input = {
      reference: " cad 4411/21nov26 ", title: "Robbery, Strand", type: "pursuit", location: AREA,
      start: flight.startedAt - 600_000, end: null, officer: "DS Khan 4411", notes: "Suspect on foot towards the square",
    };
    const res = await send("POST", "/api/incidents", input);
    expect(res.status).toBe(201);
    const made = (await res.json()) as Incident;
    expect(made).toMatchObject({ reference: "CAD 4411/21NOV26", status: "open", createdBy: "rita", version: 1 });
    await expect.poll(() => told.at(-1)?.map((m) => m.reference)).toEqual(["CAD 4411/21NOV26"]);
    // No notes or officer go to the control room.
    expect(Object.keys(told.at(-1)![0]!).sort()).toEqual(["id", "location", "reference", "title", "type"]);

    const again = await send("POST", "/api/incidents", { ...input, reference: "CAD 4411/21NOV26" });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "reference_taken" } });
    const bad = await send("POST", "/api/incidents", { ...input, reference: "x" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/reference/);
    const foreign = await send("POST", "/api/incidents", input, observer);
    expect(foreign.status).toBe(403);

    const edit = await send("PATCH", `/api/incidents/${made.id}`, { version: 1, title: "Robbery, Strand: suspect detained" });
    expect(edit.status).toBe(200);
    const stale = await send("PATCH", `/api/incidents/${made.id}`, { version: 1, notes: "late edit" });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: "version_conflict" } });
    const list = (await (await api(server, reviewer, "/api/incidents?status=open&q=strand")).json()) as IncidentsPage;
    expect(list.incidents.map((i) => i.title)).toEqual(["Robbery, Strand: suspect detained"]);
  });

  it("suggests the flight whose track passes through the area, links it with a reason, and lists it on the flight", async () => {
    const [made] = ((await (await api(server, reviewer, "/api/incidents?q=4411")).json()) as IncidentsPage).incidents;
    const suggested = (await (await api(server, reviewer, `/api/incidents/${made!.id}/suggestions`)).json()) as IncidentSuggestions;
    expect(suggested.unreadable).toEqual([]);
    expect(suggested.suggestions.map((s) => [s.flightId, s.nearestM])).toEqual([[flight.id, 0]]);
    expect(suggested.suggestions[0]!.nearestAt).toBeGreaterThan(flight.startedAt);

    const res = await send("POST", `/api/incidents/${made!.id}/links`, { kind: "flight", id: flight.id, reason: "drone overflew the square during the chase" });
    expect(res.status).toBe(201);
    const link = (await res.json()) as IncidentLink;
    expect((await send("POST", `/api/incidents/${made!.id}/links`, { kind: "flight", id: flight.id, reason: "twice" })).status).toBe(409);
    expect((await send("POST", `/api/incidents/${made!.id}/links`, { kind: "flight", id: 9999, reason: "none" })).status).toBe(404);
    // Linked: no longer suggested.
    expect(((await (await api(server, reviewer, `/api/incidents/${made!.id}/suggestions`)).json()) as IncidentSuggestions).suggestions).toEqual([]);
    const ofFlight = (await (await api(server, reviewer, `/api/flights/${flight.id}/incidents`)).json()) as { incidents: { incident: { reference: string } }[] };
    expect(ofFlight.incidents.map((i) => i.incident.reference)).toEqual(["CAD 4411/21NOV26"]);

    const unlinked = await send("POST", `/api/incidents/${made!.id}/links/${link.id}/unlink`, { reason: "linked to the wrong job" });
    expect(((await unlinked.json()) as IncidentLink).unlinkReason).toBe("linked to the wrong job");
    expect((await send("POST", `/api/incidents/${made!.id}/links`, { kind: "flight", id: flight.id, reason: "right job after all" })).status).toBe(201);
    const detail = (await (await api(server, reviewer, `/api/incidents/${made!.id}`)).json()) as IncidentDetail;
    expect(detail.links.map((l) => [l.reason, l.unlinkedBy])).toEqual([["drone overflew the square during the chase", "rita"], ["right job after all", null]]);
  });

  it("closing takes it off the live map; every step is in the audit log", async () => {
    const [made] = ((await (await api(server, reviewer, "/api/incidents?q=4411")).json()) as IncidentsPage).incidents;
    const told: IncidentMarker[][] = [];
    socket!.on("incidents:open", (m) => told.push(m));
    const closed = await send("POST", `/api/incidents/${made!.id}/close`, { version: made!.version, reason: "suspect charged" });
    expect(closed.status).toBe(200);
    await expect.poll(() => told.at(-1)).toEqual([]);
    expect((await send("PATCH", `/api/incidents/${made!.id}`, { version: made!.version + 1, title: "x" })).status).toBe(409);
    const detail = (await (await api(server, reviewer, `/api/incidents/${made!.id}`)).json()) as IncidentDetail;
    expect(detail.history.map((h) => [h.action, h.by])).toEqual([["created", "rita"], ["edited", "rita"], ["closed", "rita"]]);
    expect(detail.history[2]!.reason).toBe("suspect charged");
    const audited = (await server.audit.list(10_000)).filter((e) => e.target === `incident:${made!.id}`).map((e) => e.action).reverse();
    expect(audited).toEqual(["incident_created", "incident_edited", "incident_linked", "incident_unlinked", "incident_linked", "incident_closed"]);
    expect((await server.audit.verify()).ok).toBe(true);
  });
});
