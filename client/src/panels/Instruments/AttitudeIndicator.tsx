import { memo, useId } from "react";
import { DIAL_RADIUS, attitudeLabel, horizonPose, pitchLadder, rollScale } from "./horizon";

const LADDER = pitchLadder();
const ROLL_SCALE = rollScale();
/** Larger than the dial turned by any roll and shifted by any clamped pitch. */
const WORLD = 600;

/** Static: drawn once per dial, then only the enclosing group's transform changes. */
const Ladder = memo(function Ladder() {
  return (
    <g className="inst-ladder">
      {LADDER.map((r) => (
        <g key={r.deg}>
          <line x1={-r.halfWidth} x2={r.halfWidth} y1={r.y} y2={r.y} />
          {r.label && (
            <>
              <text x={-r.halfWidth - 3} y={r.y} textAnchor="end">{r.label}</text>
              <text x={r.halfWidth + 3} y={r.y} textAnchor="start">{r.label}</text>
            </>
          )}
        </g>
      ))}
    </g>
  );
});

const Frame = memo(function Frame() {
  return (
    <>
      <circle className="inst-bezel" r={DIAL_RADIUS} />
      <g className="inst-roll-scale">
        {ROLL_SCALE.map((t) => (
          <line key={t.deg} x1={t.x1} y1={t.y1} x2={t.x2} y2={t.y2} className={t.major ? "inst-tick--major" : undefined} />
        ))}
      </g>
      <g className="inst-aircraft">
        <path d="M-52 0 H-18 L-10 8 M52 0 H18 L10 8" />
        <circle r={2.5} />
      </g>
    </>
  );
});

export interface AttitudeIndicatorProps {
  /** Radians, positive right wing down; null when unknown. */
  roll: number | null;
  /** Radians, positive nose up; null when unknown. */
  pitch: number | null;
}

/** Artificial horizon with pitch ladder and roll scale. Props are numbers so memo skips frames that leave attitude alone. */
export const AttitudeIndicator = memo(function AttitudeIndicator({ roll, pitch }: AttitudeIndicatorProps) {
  const clip = useId();
  const pose = roll === null || pitch === null ? null : horizonPose({ roll, pitch });
  return (
    <svg className="inst-dial inst-attitude" viewBox="-100 -100 200 200" role="img" aria-label={attitudeLabel(pose)} data-testid="inst-attitude">
      <defs>
        <clipPath id={clip}>
          <circle r={DIAL_RADIUS} />
        </clipPath>
      </defs>
      <g clipPath={`url(#${clip})`}>
        {pose ? (
          <g transform={pose.horizonTransform} data-testid="inst-horizon">
            <rect className="inst-sky" x={-WORLD / 2} y={-WORLD} width={WORLD} height={WORLD} />
            <rect className="inst-ground" x={-WORLD / 2} y={0} width={WORLD} height={WORLD} />
            <line className="inst-horizon-line" x1={-WORLD / 2} x2={WORLD / 2} y1={0} y2={0} />
            <Ladder />
          </g>
        ) : (
          <>
            <rect className="inst-unknown" x={-100} y={-100} width={200} height={200} />
            <text className="inst-unknown__text" y={26} textAnchor="middle">NO ATTITUDE</text>
          </>
        )}
      </g>
      <Frame />
      {pose && <path className="inst-roll-pointer" transform={pose.rollTransform} d="M0 -77 l-6 10 h12 z" />}
    </svg>
  );
});
