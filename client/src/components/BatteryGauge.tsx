import type { Tone } from "./tone";

/** A small fill bar for remaining battery; empty outline when unknown. */
export function BatteryGauge({ percent, tone }: { percent: number | null; tone: Tone }) {
  const fill = percent === null ? 0 : Math.min(100, Math.max(0, percent));
  return (
    <span className="battery-gauge" aria-hidden="true">
      <span className={`battery-gauge__fill bg--${tone}`} style={{ width: `${fill}%` }} />
    </span>
  );
}
