import { useState } from "react";
import { parseSpeed, SPEED_MAX_MPS, SPEED_MIN_MPS } from "./availability";
import { CommandButton, withInput, type SectionProps } from "./CommandButton";
import { modesFor, normaliseMode } from "./modes";

export const DEFAULT_SPEED_MPS = 5;

/** Flight mode (a list for known vehicle classes, a text field otherwise) and cruise speed. */
export function SettingsControls({ vehicle, av, isPending, onCommand }: SectionProps) {
  const modes = modesFor(vehicle.vehicleClass);
  // Empty until the pilot picks: a pre-selected mode could be sent by a click meant for something else.
  const [modeText, setModeText] = useState("");
  const [speedText, setSpeedText] = useState(String(DEFAULT_SPEED_MPS));
  const mode = normaliseMode(modeText);
  const modeError = mode === null ? "Choose a mode" : mode === vehicle.mode ? `Already in ${mode}` : null;
  const speed = parseSpeed(speedText);
  const speedError = "error" in speed ? `Speed: ${speed.error}` : null;

  return (
    <section className="cmd-section" aria-label="Mode and speed">
      <div className="cmd-row">
        <label className="cmd-inline cmd-inline--grow">
          <span>Mode</span>
          {modes.length > 0 ? (
            <select value={modeText} onChange={(e) => setModeText(e.target.value)}>
              <option value="">Choose… (now {vehicle.mode || "?"})</option>
              {modes.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          ) : (
            <input value={modeText} placeholder={vehicle.mode} autoComplete="off" onChange={(e) => setModeText(e.target.value)} />
          )}
        </label>
        <CommandButton
          label="Set mode"
          availability={withInput(av.setMode, modeError)}
          pending={isPending("setMode")}
          onClick={() => mode && onCommand({ kind: "setMode", mode })}
        />
      </div>
      <div className="cmd-row">
        <label className="cmd-inline">
          <span>Speed (m/s)</span>
          <input type="number" min={SPEED_MIN_MPS} max={SPEED_MAX_MPS} step={0.5} value={speedText} aria-invalid={speedError !== null} onChange={(e) => setSpeedText(e.target.value)} />
        </label>
        <CommandButton
          label="Change speed"
          availability={withInput(av.speed, speedError)}
          pending={isPending("speed")}
          onClick={() => "value" in speed && onCommand({ kind: "speed", mps: speed.value })}
        />
      </div>
    </section>
  );
}
