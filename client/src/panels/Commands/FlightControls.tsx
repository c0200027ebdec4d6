import { useState } from "react";
import { ALT_MAX_M, ALT_MIN_M, DEFAULT_ALT_M, parseAltitude } from "./availability";
import { CommandButton, withInput, type SectionProps } from "./CommandButton";

/** The forced variant offered after the vehicle refused the command logged as `entryId`. */
export interface ForceOffer {
  kind: "forceArm" | "forceDisarm";
  entryId: number;
}

/**
 * Arm/disarm (with the forced variants behind "Force…", opened by itself after a refusal) and take-off. The three
 * ways to stop a flight (land, RTL, brake) are StopControls, placed where they are always in view.
 */
export function FlightControls({ av, isPending, onCommand, offer }: SectionProps & { offer: ForceOffer | null }) {
  const [altText, setAltText] = useState(String(DEFAULT_ALT_M));
  const [forceOpen, setForceOpen] = useState(false);
  // The pilot may fold away an offer; a later refusal (another entry) opens it again.
  const [foldedEntry, setFoldedEntry] = useState<number | null>(null);
  const alt = parseAltitude(altText);
  const altError = "error" in alt ? `Take-off altitude: ${alt.error}` : null;
  const forceOffer = offer && offer.entryId !== foldedEntry ? offer.kind : null;
  const showForce = forceOpen || forceOffer !== null;
  const toggleForce = () => {
    setForceOpen(!showForce);
    if (showForce) setFoldedEntry(offer?.entryId ?? null);
  };

  return (
    <section className="cmd-section" aria-label="Flight">
      <div className="cmd-row">
        <CommandButton label="Arm" availability={av.arm} pending={isPending("arm")} onClick={() => onCommand({ kind: "arm" })} />
        <CommandButton label="Disarm" availability={av.disarm} pending={isPending("disarm")} onClick={() => onCommand({ kind: "disarm" })} />
        <button type="button" className="btn btn--small cmd-btn--link" aria-expanded={showForce} onClick={toggleForce}>
          Force…
        </button>
      </div>
      {showForce && (
        <div className="cmd-row cmd-row--force">
          {forceOffer && <p className="cmd-note tone--caution">The vehicle refused. Forcing skips its safety checks.</p>}
          <CommandButton label="Force arm…" danger availability={av.forceArm} pending={isPending("arm")} onClick={() => onCommand({ kind: "arm", force: true })} />
          <CommandButton label="Force disarm…" danger availability={av.forceDisarm} pending={isPending("disarm")} onClick={() => onCommand({ kind: "disarm", force: true })} />
        </div>
      )}
      <div className="cmd-row">
        <label className="cmd-inline">
          <span>Take-off altitude (m)</span>
          <input type="number" min={ALT_MIN_M} max={ALT_MAX_M} step={1} value={altText} aria-invalid={altError !== null} onChange={(e) => setAltText(e.target.value)} />
        </label>
        <CommandButton
          label="Take off"
          availability={withInput(av.takeoff, altError)}
          pending={isPending("takeoff")}
          onClick={() => "value" in alt && onCommand({ kind: "takeoff", altM: alt.value })}
        />
      </div>
      {altError && av.takeoff.enabled && <p className="cmd-note tone--caution">{altError}</p>}
    </section>
  );
}
