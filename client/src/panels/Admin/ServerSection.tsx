import { useEffect, useState } from "react";
import type { HealthResponse } from "../../../../server/protocol";
import { createCall, describeApiError } from "../../access";

/** How often the section asks the server again while it is open. */
export const SERVER_REFRESH_MS = 5_000;

function uptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  return d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min`;
}

type Row = { label: string; value: string; warn?: boolean; testid?: string };

function rowsOf(h: HealthResponse): Row[] {
  const loop = h.eventLoop.lastWindow ?? h.eventLoop.current;
  const rows: Row[] = [
    { label: "Server", value: `version ${h.version}, up ${uptime(h.uptimeSeconds)}; ${h.vehicles} vehicles on its links`, testid: "server-summary" },
    {
      label: "Event loop",
      // The vehicles' heartbeats wait behind it: ArduPilot's GCS failsafe is 5 s, a screen notices well before.
      value: `late by ${Math.round(loop.p99Ms)} ms at p99, ${Math.round(loop.maxMs)} ms at most (last ${loop.windowSeconds} s)`,
      warn: loop.maxMs > 250,
    },
    { label: "Screens", value: `${h.frames.viewersBehind} fell behind and were caught up with a full frame (${h.frames.resyncs} resyncs) since start` },
    {
      label: "Writes waiting",
      value: `alerts ${h.alertStore.waiting} (${h.alertStore.dropped} dropped), flight catalogue rows ${h.flightCatalogue.waiting}`,
      warn: h.alertStore.waiting + h.alertStore.dropped + h.flightCatalogue.waiting > 0,
      testid: "server-waiting",
    },
  ];
  const c = h.cluster;
  if (!c) return rows;
  return [
    ...rows,
    {
      label: "Deployment",
      value: `this server and ${c.servers} other${c.servers === 1 ? "" : "s"} through Redis (${c.redis}); ${c.vehicles} of their vehicles shown here`
        + (c.conflicts > 0 ? `; ${c.conflicts} heard here too` : ""),
      warn: c.redis !== "ready",
      testid: "server-deployment",
    },
    {
      label: "Pilots' requests",
      value: `${c.requests.forwarded} sent to the server with the vehicle, ${c.requests.served} run here for others, ${c.requests.pending} waiting, `
        + `${c.requests.failed} failed`,
      warn: c.requests.failed > 0,
      testid: "server-requests",
    },
    {
      label: "Shared links",
      value: c.links.held.length + c.links.standby.length === 0 ? "none (every link is this server's own)"
        : `run here: ${c.links.held.join(", ") || "none"}; standing by for: ${c.links.standby.join(", ") || "none"}; `
          + `${c.links.takenOver} taken over, ${c.links.lost} let go`,
      warn: c.links.lost > 0,
      testid: "server-links",
    },
    {
      label: "Servers gone",
      value: `${c.succession.succeeded} whose open flights were sealed here${c.succession.settling > 0 ? `; ${c.succession.settling} being confirmed gone` : ""}`,
    },
    {
      label: "Refused",
      value: `${c.refused} vehicle messages, ${c.requests.refused} requests from other servers; ${c.notPublished} vehicle messages not published (Redis away)`,
      warn: c.refused + c.requests.refused > 0,
    },
  ];
}

/**
 * The server as its administrator sees it (GET /api/health, every 5 s while open): how late its event loop runs,
 * what waits to be written, and with several servers the deployment (other servers, requests sent between them,
 * shared links held or stood by for, servers gone). Rows needing attention are marked.
 */
export function ServerSection({ fetchFn }: { fetchFn: typeof fetch }) {
  const [call] = useState(() => createCall(fetchFn));
  const [health, setHealth] = useState<HealthResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => call<HealthResponse>("/api/health").then((h) => {
      if (!live) return;
      setHealth(h);
      setError(null);
    }, (err: unknown) => { if (live) setError(describeApiError(err)); });
    void load();
    const timer = setInterval(() => void load(), SERVER_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [call]);

  return (
    <section className="admin__server" aria-label="Server" data-testid="server-section">
      <h2 className="panel-title">Server</h2>
      {error && <p className="admin__message tone--danger" role="status">{error}</p>}
      {health === null ? (!error && <p className="empty">Loading…</p>) : (
        <table className="admin__table">
          <tbody>
            {rowsOf(health).map((r) => (
              <tr key={r.label} className={r.warn ? "tone--caution" : undefined} data-testid={r.testid}>
                <th scope="row">{r.label}</th>
                <td>{r.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
