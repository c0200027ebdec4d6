import { useState } from "react";
import { formatCoordinates } from "../../format";
import { ALT_MAX_M, ALT_MIN_M, DEFAULT_ALT_M, parseAltitude } from "./availability";
import { CommandButton, withInput, type SectionProps } from "./CommandButton";
import type { GotoPoint } from "./types";

/** Keeps the current height when it is a valid target, so "go there" does not also mean "climb or sink". */
export function defaultGotoAlt(altRelative: number | null | undefined): number {
  if (altRelative === null || altRelative === undefined || !Number.isFinite(altRelative)) return DEFAULT_ALT_M;
  return Math.min(ALT_MAX_M, Math.max(ALT_MIN_M, Math.round(altRelative)));
}

interface GotoProps extends SectionProps {
  gotoPoint: GotoPoint | null;
  picking: boolean;
  onPick(): void;
  onAbandon(): void;
}

/** "Go to…" asks the map for a point; once picked, an altitude and "Fly to point…" (which is confirmed). */
export function GotoControl({ vehicle, av, isPending, onCommand, gotoPoint, picking, onPick, onAbandon }: GotoProps) {
  const [altText, setAltText] = useState(() => String(defaultGotoAlt(vehicle.position?.altRelative)));
  const alt = parseAltitude(altText);
  const altError = "error" in alt ? `Altitude: ${alt.error}` : null;
  const pick = () => {
    setAltText(String(defaultGotoAlt(vehicle.position?.altRelative)));
    onPick();
  };

  return (
    <section className="cmd-section" aria-label="Go to">
      <div className="cmd-row">
        <CommandButton label="Go to…" availability={av.goto} pending={isPending("goto")} onClick={pick} />
        {picking && !gotoPoint && <span className="cmd-note tone--info">Click the map to choose the point.</span>}
        {(picking || gotoPoint) && (
          <button type="button" className="btn btn--small cmd-btn--link" onClick={onAbandon}>
            Cancel go to
          </button>
        )}
      </div>
      {gotoPoint && (
        <div className="cmd-row cmd-goto">
          <span className="cmd-goto__point" data-testid="goto-point">{formatCoordinates(gotoPoint.lat, gotoPoint.lon)}</span>
          <label className="cmd-inline">
            <span>Go-to altitude (m)</span>
            <input type="number" min={ALT_MIN_M} max={ALT_MAX_M} step={1} value={altText} aria-invalid={altError !== null} onChange={(e) => setAltText(e.target.value)} />
          </label>
          <CommandButton
            label="Fly to point…"
            availability={withInput(av.goto, altError)}
            pending={isPending("goto")}
            onClick={() => "value" in alt && onCommand({ kind: "goto", lat: gotoPoint.lat, lon: gotoPoint.lon, altM: alt.value })}
          />
        </div>
      )}
    </section>
  );
}
