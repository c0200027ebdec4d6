import { useId, type ReactNode } from "react";
import type { Tone } from "../../components";

/** One labelled value of a group (a dt/dd pair); the tone colours the value only. */
export function Reading({ label, children, tone = "neutral", id, title }: { label: string; children: ReactNode; tone?: Tone; id: string; title?: string }) {
  return (
    <div className="inst-reading" title={title}>
      <dt className="inst-reading__label">{label}</dt>
      <dd className={`inst-reading__value tone--${tone}`} data-testid={`inst-${id}`}>
        {children}
      </dd>
    </div>
  );
}

/** A titled block of readings; the title names the list for screen readers. */
export function ReadingGroup({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  const id = useId();
  return (
    <div className={className ? `inst-group ${className}` : "inst-group"}>
      <h3 className="inst-group__title" id={id}>{title}</h3>
      <dl className="inst-group__grid" aria-labelledby={id}>
        {children}
      </dl>
    </div>
  );
}
