import { lazy, Suspense } from "react";
import type { ReplayChartsProps } from "./ReplayCharts";

// uPlot and the charts load with the replay view only: the pilots' and the control room's screens never need them.
const Charts = lazy(() => import("./ReplayCharts").then((m) => ({ default: m.ReplayCharts })));

/** The replay's charts (ReplayCharts.tsx), fetched as their own chunk the first time a replay shows them. */
export function ReplayCharts(props: ReplayChartsProps) {
  return (
    <Suspense fallback={<section className="replay-charts" aria-label="Charts"><p className="replay-charts__note" role="status">Loading the charts…</p></section>}>
      <Charts {...props} />
    </Suspense>
  );
}
