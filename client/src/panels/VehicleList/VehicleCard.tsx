import { memo } from "react";
import type { VehicleKey, VehicleState } from "../../../../server/protocol";
import { Badge, BatteryGauge, ColourDot, Metric, levelTone, severityTone, vehicleColour } from "../../components";
import {
  formatAge,
  formatAltitude,
  formatBattery,
  formatClimb,
  formatGps,
  formatHeading,
  formatRatioPercent,
  formatSpeed,
  formatVehicleClass,
} from "../../format";
import { heartbeatAge, isStale, lastStatusText } from "../../store";
import { ControlBar } from "./ControlBar";
import { LinkBadge } from "./LinkBadge";

export interface VehicleCardProps {
  vehicle: VehicleState;
  /** Server clock, ms: ages are computed against it so client clock skew does not matter. */
  now: number;
  lostAfterMs: number;
  selected: boolean;
  following: boolean;
  onSelect: (key: VehicleKey) => void;
}

function EkfBadge({ healthy }: { healthy: boolean | null }) {
  if (healthy === null) return <Badge tone="neutral">EKF —</Badge>;
  return healthy ? <Badge tone="ok">EKF OK</Badge> : <Badge tone="danger">EKF BAD</Badge>;
}

function VehicleCardView({ vehicle: v, now, lostAfterMs, selected, following, onSelect }: VehicleCardProps) {
  const stale = isStale(v, now, lostAfterMs);
  const battery = formatBattery(v.battery);
  const gps = formatGps(v.gps);
  const status = lastStatusText(v);
  const classes = ["card", stale && "card--stale", selected && "card--selected"].filter(Boolean).join(" ");
  const select = () => onSelect(v.key);

  return (
    <li
      className={classes}
      data-testid={`vehicle-card-${v.sysid}-${v.compid}`}
      data-stale={stale}
      role="option"
      aria-selected={selected}
      tabIndex={0}
      onClick={select}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          select();
        }
      }}
    >
      <header className="card__head">
        <ColourDot colour={vehicleColour(v.sysid, v.compid)} dimmed={stale} />
        <span className="card__key">{v.key}</span>
        <span className="card__class">{formatVehicleClass(v.vehicleClass)}</span>
        {following && <span className="card__following">following</span>}
        <span className="card__spacer" />
        {v.armed ? <Badge tone="danger">ARMED</Badge> : <Badge tone="neutral">DISARMED</Badge>}
      </header>

      <div className="card__row">
        <span className="card__mode">{v.mode || "—"}</span>
        <span className="card__states">
          <EkfBadge healthy={v.ekfHealthy} />
          <LinkBadge stale={stale} ageMs={heartbeatAge(v, now)} />
        </span>
      </div>

      <div className="card__grid">
        <Metric label="Battery" tone={levelTone(battery.level)}>
          <BatteryGauge percent={v.battery.remaining} tone={levelTone(battery.level)} />
          {battery.remaining}
        </Metric>
        <Metric label="Power">
          {battery.voltage} · {battery.current}
        </Metric>
        <Metric label="GPS · sats · HDOP" tone={levelTone(gps.level)} wide>
          {gps.fix} · {gps.satellites} sats · HDOP {gps.hdop}
        </Metric>
        <Metric label="Alt rel / AMSL">
          {formatAltitude(v.position?.altRelative)} / {formatAltitude(v.position?.altAmsl)}
        </Metric>
        <Metric label="Speed · climb">
          {formatSpeed(v.groundSpeed)} · {formatClimb(v.climb)}
        </Metric>
        <Metric label="Heading">{formatHeading(v.heading)}</Metric>
        <Metric label="Packet loss" tone={v.link.lossRatio > 0.05 ? "caution" : "neutral"}>
          {formatRatioPercent(v.link.lossRatio)}
        </Metric>
      </div>

      {status && (
        <p className={`card__status tone--${severityTone(status.severity)}`} title={status.text}>
          {status.text}
        </p>
      )}
      <ControlBar vehicle={v} />
      {stale && <p className="card__stale-note">Last known state — {formatAge(heartbeatAge(v, now))} old</p>}
    </li>
  );
}

/** Memoised: a card re-renders only when its vehicle object, the clock tick or its selection changes. */
export const VehicleCard = memo(VehicleCardView);
