import { hasRole, useSession } from "../../access";
import { Badge, type Tone } from "../../components";
import { formatAge, formatClock } from "../../format";
import { countStale, useAppStore, useNow, useServerNow, useVehicleList, type ConnectionState } from "../../store";

function describeConnection(c: ConnectionState, now: number): { tone: Tone; text: string } {
  switch (c.status) {
    case "connecting":
      return { tone: "caution", text: "Connecting…" };
    case "connected":
      return { tone: "ok", text: "Live" };
    case "disconnected":
      return {
        tone: "danger",
        text: `Disconnected ${formatAge(now - c.since)}${c.willReconnect ? ", reconnecting…" : ""}`,
      };
  }
}

function ConnectionIndicator() {
  const connection = useAppStore((s) => s.connection);
  const now = useNow(1000);
  const { tone, text } = describeConnection(connection, now);
  return (
    <span
      className="conn"
      data-testid="connection-state"
      data-status={connection.status}
      role="status"
      title={connection.status === "disconnected" ? connection.reason : undefined}
    >
      <span className={`conn__dot bg--${tone}`} aria-hidden="true" />
      <span className={`conn__text tone--${tone}`}>{text}</span>
    </span>
  );
}

function FleetSummary() {
  const vehicles = useVehicleList();
  const now = useServerNow(1000);
  const lostAfterMs = useAppStore((s) => s.config.lostAfterMs);
  const lost = countStale(vehicles, now, lostAfterMs);
  const armed = vehicles.filter((v) => v.armed).length;
  return (
    <span className="fleet" data-testid="vehicle-count" data-count={vehicles.length}>
      <strong>{vehicles.length}</strong> {vehicles.length === 1 ? "vehicle" : "vehicles"}
      {armed > 0 && <Badge tone="info">{armed} armed</Badge>}
      {lost > 0 && <Badge tone="danger">{lost} lost</Badge>}
    </span>
  );
}

function LinkSummary() {
  const links = useAppStore((s) => s.links);
  if (links.length === 0) return null;
  const open = links.filter((l) => l.connection === "open").length;
  const title = links.map((l) => `${l.url}: ${l.connection}${l.lastError ? ` (${l.lastError})` : ""}`).join("\n");
  return (
    <span className="links" title={title}>
      <Badge tone={open === links.length ? "ok" : open === 0 ? "danger" : "caution"}>
        Links {open}/{links.length}
      </Badge>
    </span>
  );
}

/**
 * Packets dropped by MAVLink signing on any link (unsigned from a vehicle with a key, forged, replayed): someone
 * may be injecting commands or telemetry, or a vehicle's key does not match ours.
 */
export function SignatureAlert() {
  const links = useAppStore((s) => s.links);
  const rejected = links.reduce((sum, l) => sum + (l.counters.signatureRejected ?? 0), 0);
  if (rejected <= 0) return null;
  const title = links.filter((l) => (l.counters.signatureRejected ?? 0) > 0)
    .map((l) => `${l.url}: ${l.counters.signatureRejected} rejected`).join("\n");
  return (
    <span className="links" data-testid="link-signature-alert" data-count={rejected} role="alert" title={title}>
      <Badge tone="danger">
        {rejected} unsigned or forged {rejected === 1 ? "packet" : "packets"} rejected
      </Badge>
    </span>
  );
}

/** The signed-in user, the flights (reviewers) and admin (admins) switches, and the logout button. */
function UserMenu() {
  const session = useSession();
  const user = useAppStore((s) => s.auth.user);
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  if (!user) return null;
  return (
    <span className="user">
      {hasRole(user, "reviewer") && (
        <button
          className={`btn btn--quiet${view === "flights" ? " btn--active" : ""}`}
          data-testid="flights-open"
          aria-pressed={view === "flights"}
          onClick={() => setView(view === "flights" ? "map" : "flights")}
        >
          Flights
        </button>
      )}
      {(hasRole(user, "reviewer") || hasRole(user, "admin")) && (
        <a className="btn btn--quiet" href="/incidents" data-testid="incidents-open">Incidents</a>
      )}
      {(hasRole(user, "reviewer") || hasRole(user, "admin")) && (
        <a className="btn btn--quiet" href="/footage" data-testid="footage-open">Footage</a>
      )}
      {hasRole(user, "admin") && (
        <button
          className={`btn btn--quiet${view === "admin" ? " btn--active" : ""}`}
          data-testid="admin-open"
          aria-pressed={view === "admin"}
          onClick={() => setView(view === "admin" ? "map" : "admin")}
        >
          Admin
        </button>
      )}
      <span className="user__name" data-testid="current-user" title="Signed in">
        {user.name} <span className="user__roles">({user.roles.join(", ")})</span>
      </span>
      <button className="btn btn--quiet" data-testid="logout" onClick={() => void session?.logout()}>
        Log out
      </button>
    </span>
  );
}

export function TopBar() {
  const version = useAppStore((s) => s.config.version);
  const now = useNow(1000);
  return (
    <header className="topbar">
      <span className="topbar__brand">
        <span className="topbar__logo" aria-hidden="true">◆</span> Drone Unit <span className="topbar__sub">Live map</span>
      </span>
      <ConnectionIndicator />
      <FleetSummary />
      <LinkSummary />
      <SignatureAlert />
      <span className="topbar__spacer" />
      <span className="topbar__clock" title="Local time">{formatClock(now)}</span>
      {version && <span className="topbar__version">v{version}</span>}
      <UserMenu />
    </header>
  );
}
