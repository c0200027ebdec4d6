import { useRef, useState } from "react";
import { ConfirmDialog, type ConfirmRequest } from "./ConfirmDialog";
import { useMissionEditor } from "./MissionEditorContext";
import { countsText, progressPercent, progressText, startText, uploadText } from "./summary";
import { useOutcome } from "./useOutcome";
import { hasErrors } from "./validation";

const isEmpty = (m: { items: unknown[]; fence: { polygons: unknown[]; circles: unknown[] }; rally: unknown[] }) =>
  m.items.length + m.fence.polygons.length + m.fence.circles.length + m.rally.length === 0;

function TransferProgress() {
  const { progress } = useMissionEditor();
  if (!progress) return null;
  const percent = progressPercent(progress);
  const text = progressText(progress);
  return (
    <div className={`mtransfer mtransfer--${progress.stage}`}>
      <div className="mtransfer__bar" role="progressbar" aria-label="Mission transfer" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={text}>
        <div className="mtransfer__fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="mtransfer__text" role="status">{text}</p>
    </div>
  );
}

/** Files and the vehicle: import/export, download, upload, clear and start, each confirmed where it touches the drone. */
export function VehicleActions() {
  const { state, dispatch, actions, vehicle, canCommand, canDownload, problems, inSync } = useMissionEditor();
  const { draft } = state;
  const { busy, outcome, run } = useOutcome();
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const key = vehicle?.key ?? null;
  const blocked = hasErrors(problems);
  const idle = busy === null;

  const onFile = (file: File | undefined) => {
    if (!file) return;
    void run("Import", () => actions.importFile(file), (m) => `Imported ${file.name}: ${countsText(m)}`, (m) => dispatch({ type: "load", mission: m }));
    if (fileInput.current) fileInput.current.value = ""; // the same file can be chosen again after editing
  };

  const askUpload = () => {
    if (!key) return;
    const warnings = problems.filter((p) => p.severity === "warning").length;
    setConfirm({
      title: `Upload to vehicle ${key}`,
      lines: [
        `Send ${countsText(draft)} to vehicle ${key}?`,
        "This replaces the mission, fence and rally points on the vehicle.",
        ...(warnings > 0 ? [`${warnings === 1 ? "1 warning" : `${warnings} warnings`} about this plan: see the list above.`] : []),
      ],
      onConfirm: () => void run("Upload", () => actions.upload(key, draft), uploadText),
    });
  };
  const askClear = () => {
    if (!key) return;
    setConfirm({
      title: `Clear vehicle ${key}`,
      lines: [`Clear the mission, fence and rally points on vehicle ${key}?`, "The draft here stays as it is."],
      onConfirm: () => void run("Clear", () => actions.clear(key), () => `Cleared on vehicle ${key}`),
    });
  };
  const askStart = () => {
    if (!key) return;
    setConfirm({
      title: `Start mission on vehicle ${key}`,
      lines: [
        `Start the mission on vehicle ${key}? It switches to AUTO and flies the mission it holds.`,
        ...(inSync ? [] : ["The draft here is not what the vehicle holds: it will fly its own mission, not this draft."]),
      ],
      onConfirm: () => void run("Start", () => actions.start(key), startText),
    });
  };

  const controlNote = !key ? "Select a vehicle to send the plan to it." : !canCommand ? "Take control of the vehicle to upload, clear or start." : null;

  return (
    <section className="mission__section" aria-label="Files and vehicle">
      <div className="mission__buttons">
        <button type="button" className="btn" disabled={!idle} onClick={() => fileInput.current?.click()}>Import file</button>
        <input ref={fileInput} type="file" accept=".plan,.waypoints,.txt" aria-label="Mission file" hidden onChange={(e) => onFile(e.target.files?.[0])} />
        <button type="button" className="btn" disabled={!idle || isEmpty(draft)} onClick={() => void run("Export", () => actions.exportFile(draft, "plan"), () => "Exported as .plan")}>Export .plan</button>
        <button type="button" className="btn" disabled={!idle || isEmpty(draft)} onClick={() => void run("Export", () => actions.exportFile(draft, "waypoints"), () => "Exported as .waypoints")}>Export .waypoints</button>
      </div>
      <div className="mission__buttons">
        <button
          type="button"
          className="btn"
          disabled={!idle || !key || !canDownload}
          onClick={() => key && void run("Download", () => actions.download(key), (info) => (info.plan ? `Downloaded from vehicle ${key}: ${countsText(info.plan)}` : `Vehicle ${key} sent no plan`), (info) => info.plan && dispatch({ type: "load", mission: info.plan }))}
        >
          Download from vehicle
        </button>
        <button type="button" className="btn btn--primary" disabled={!idle || !key || !canCommand || blocked || isEmpty(draft)} title={blocked ? "Fix the errors in the plan first" : undefined} onClick={askUpload}>
          Upload to vehicle
        </button>
        <button type="button" className="btn btn--danger" disabled={!idle || !key || !canCommand} onClick={askClear}>Clear on vehicle</button>
        <button type="button" className="btn" disabled={!idle || !key || !canCommand} onClick={askStart}>Start mission</button>
      </div>
      {controlNote && <p className="mission__note">{controlNote}</p>}
      {blocked && key && canCommand && <p className="mission__note">Fix the errors in the plan before uploading.</p>}
      <TransferProgress />
      {busy && <p className="mission__busy" role="status">{busy}…</p>}
      {outcome && <p className={outcome.ok ? "mission__outcome tone--ok" : "mission__outcome tone--danger"} role={outcome.ok ? "status" : "alert"} data-testid="mission-outcome">{outcome.text}</p>}
      {confirm && <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />}
    </section>
  );
}
