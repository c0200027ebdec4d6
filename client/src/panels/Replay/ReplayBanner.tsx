import type { ReplayInfo, ReplayState, VehicleKey } from "../../../../server/protocol";
import { ColourDot } from "../../components";
import { formatBootTime, formatUtc } from "./format";
import { keyColour } from "./colour";

export interface ReplayBannerProps {
  info: ReplayInfo | null;
  state: ReplayState | null;
  error: string | null;
  notice: string | null;
}

/** Says loudly that this is not live, which moment is shown, on whose clock, and what must be known before trusting it. */
export function ReplayBanner({ info, state, error, notice }: ReplayBannerProps) {
  const vehicles = [...new Set(info?.flights.map((f) => f.vehicle) ?? [])];
  return (
    <header className="replay-banner" data-testid="replay-banner">
      <span className="replay-banner__tag">REPLAY</span>
      <span className="replay-banner__clock" data-testid="replay-clock" title="Session clock (UTC)">
        {state ? formatUtc(state.time) : "—"}
      </span>
      {state?.ended && <span className="replay-banner__ended">end</span>}
      {vehicles.map((key: VehicleKey) => (
        <span key={key} className="replay-banner__vehicle" title={`${key}: the vehicle's own clock (time since boot)`}>
          <ColourDot colour={keyColour(key)} /> {key} <span className="replay-banner__boot">{formatBootTime(state?.vehicleTime[key] ?? Number.NaN)}</span>
        </span>
      ))}
      <span className="topbar__spacer" />
      {notice && <span className="replay-banner__notice" role="status">{notice}</span>}
      {info?.flights.map((f) => (
        <a key={f.id} className="btn btn--quiet" href={`/report?flight=${f.id}`} data-testid={`replay-report-${f.id}`}
          title={`Printable report of flight ${f.id}`}>
          {info.flights.length > 1 ? `Report ${f.id}` : "Report"}
        </a>
      ))}
      <a className="btn btn--quiet" href="/">Back to live</a>
      {(error || (info && info.warnings.length > 0)) && (
        <ul className="replay-banner__warnings" role="alert" data-testid="replay-warnings">
          {error && <li>{error}</li>}
          {info?.warnings.map((w) => <li key={w}>{w}</li>)}
        </ul>
      )}
    </header>
  );
}
