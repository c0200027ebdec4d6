import { memo } from "react";
import { formatHeading } from "../../format";
import { DIAL_RADIUS, compassCard, roseTransform } from "./horizon";

const CARD = compassCard();
const LABEL_RADIUS = DIAL_RADIUS - 22;

/** Static compass card: drawn once, turned as a whole. */
const Card = memo(function Card() {
  return (
    <g className="inst-card">
      {CARD.map((m) => (
        <g key={m.deg}>
          <line x1={m.x1} y1={m.y1} x2={m.x2} y2={m.y2} className={m.major ? "inst-tick--major" : undefined} />
          {m.label && (
            <text
              transform={`rotate(${m.deg}) translate(0 ${-LABEL_RADIUS})`}
              textAnchor="middle"
              dominantBaseline="central"
              className={m.deg % 90 === 0 ? "inst-card__cardinal" : undefined}
            >
              {m.label}
            </text>
          )}
        </g>
      ))}
    </g>
  );
});

function describe(heading: number | null, homeBearing: number | null): string {
  const parts = [heading === null ? "Heading unknown" : `Heading ${formatHeading(heading)}`];
  if (homeBearing !== null) parts.push(`home bearing ${formatHeading(homeBearing)}`);
  return parts.join(", ");
}

export interface CompassRoseProps {
  /** Degrees from true north; null when unknown (the card stays north-up, dimmed). */
  heading: number | null;
  /** Bearing from the vehicle to home, degrees; null hides the home marker. */
  homeBearing: number | null;
}

/** Heading rose with a home marker, like QGroundControl's compass: the card turns, the lubber line stays on top. */
export const CompassRose = memo(function CompassRose({ heading, homeBearing }: CompassRoseProps) {
  const transform = roseTransform(heading);
  return (
    <svg className="inst-dial inst-rose" viewBox="-100 -100 200 200" role="img" aria-label={describe(heading, homeBearing)} data-testid="inst-compass">
      <circle className="inst-rose__face" r={DIAL_RADIUS} />
      <g transform={transform ?? undefined} className={transform ? undefined : "inst-rose__card--unknown"}>
        <Card />
        {homeBearing !== null && (
          <g transform={`rotate(${Math.round(homeBearing)})`} className="inst-home">
            <circle cy={-46} r={8} />
            <text y={-46} textAnchor="middle" dominantBaseline="central">H</text>
          </g>
        )}
      </g>
      <path className="inst-lubber" d="M0 -78 l-6 -12 h12 z" />
      <path className="inst-aircraft inst-rose__vehicle" d="M0 -16 L10 12 L0 6 L-10 12 Z" />
      {/* Drawn last, on a box: the readout stays legible when the home marker passes behind it. */}
      <rect className="inst-rose__value-box" x={-25} y={22} width={50} height={18} rx={3} />
      <text className="inst-rose__value" y={31} textAnchor="middle" dominantBaseline="central">{formatHeading(heading)}</text>
    </svg>
  );
});
