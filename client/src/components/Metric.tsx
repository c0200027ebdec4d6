import type { ReactNode } from "react";
import type { Tone } from "./tone";

/** A labelled reading; the tone colours the value only, so labels stay calm. */
export function Metric({ label, children, tone = "neutral", title, wide = false }: { label: string; children: ReactNode; tone?: Tone; title?: string; wide?: boolean }) {
  return (
    <div className={wide ? "metric metric--wide" : "metric"} title={title}>
      <span className="metric__label">{label}</span>
      <span className={`metric__value tone--${tone}`}>{children}</span>
    </div>
  );
}
