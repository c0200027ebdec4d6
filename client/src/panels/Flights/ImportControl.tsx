import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { describeApiError } from "../../access";
import { uploadPercent } from "./format";
import { describeImport, type ImportResult, type ImportWording } from "./report";
import { checkImportFile, MAX_IMPORT_BYTES, type ImportStep, type UploadFn, type UploadHandle, type UploadProgress } from "./upload";

type ImportState =
  | { kind: "idle" }
  | { kind: "uploading"; name: string; progress: UploadProgress }
  | { kind: "done"; name: string; wording: ImportWording }
  | { kind: "failed"; message: string };

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

/** The server's import after the upload, in words, and how far it is (null: cannot tell). */
export function describeImportStep(name: string, step: ImportStep): { text: string; pct: number | null } {
  switch (step.phase) {
    case "reading": {
      const pct = uploadPercent(step.bytes, step.totalBytes);
      return { text: `Importing ${name}: reading${pct === null ? "…" : ` ${pct} %`}, ${count(step.flights, "flight", "flights")} found`, pct };
    }
    case "saving":
      return { text: `Importing ${name}: saving ${count(step.flights, "flight", "flights")}`, pct: null };
    default:
      return { text: `Importing ${name}: ${count(step.flights, "flight", "flights")} saved, writing telemetry series `
        + `(${count(step.seriesPoints, "point", "points")})`, pct: null };
  }
}

function Outcome({ state }: { state: ImportState }) {
  switch (state.kind) {
    case "idle":
      return null;
    case "uploading": {
      const step = state.progress.import;
      if (step) {
        const { text, pct } = describeImportStep(state.name, step);
        return (
          <span className="flights__upload">
            <progress aria-label="Import progress" max={100} value={pct ?? undefined} />
            <span role="status">{text}</span>
          </span>
        );
      }
      const pct = uploadPercent(state.progress.loaded, state.progress.total);
      return (
        <span className="flights__upload">
          <progress aria-label="Upload progress" max={100} value={pct ?? undefined} />
          <span role="status">{`Uploading ${state.name}${pct === null ? "…" : `: ${pct} %`}`}</span>
        </span>
      );
    }
    case "done":
      return (
        <div className={`flights__report tone--${state.wording.tone}`} role="status" data-testid="flights-import-report">
          {state.wording.lines.map((line, i) => <p key={i}>{i === 0 ? `${state.name}: ${line}` : line}</p>)}
        </div>
      );
    case "failed":
      return <p className="flights__report tone--danger" role="alert" data-testid="flights-import-error">{state.message}</p>;
  }
}

/**
 * "Import .tlog": checks the size, uploads with progress, follows the server's import (reading the file, saving
 * its flights, writing their series), then words the report. The file input is the
 * accessible control (its label is the visible button), so tests and Playwright can set files on it directly.
 */
export function ImportControl({ upload, maxBytes = MAX_IMPORT_BYTES, onImported }: { upload: UploadFn; maxBytes?: number; onImported: (result: ImportResult) => void }) {
  const [state, setState] = useState<ImportState>({ kind: "idle" });
  const handle = useRef<UploadHandle | null>(null);
  useEffect(() => () => handle.current?.abort(), []);

  const start = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ""; // the same file may be chosen again after a failure
    if (!file) return;
    const refused = checkImportFile(file, maxBytes);
    if (refused) {
      setState({ kind: "failed", message: refused });
      return;
    }
    setState({ kind: "uploading", name: file.name, progress: { loaded: 0, total: file.size } });
    const h = upload(file, (progress) => setState((s) => (s.kind === "uploading" ? { ...s, progress } : s)));
    handle.current = h;
    h.result.then(
      (result) => {
        setState({ kind: "done", name: file.name, wording: describeImport(result) });
        onImported(result);
      },
      (err: unknown) => setState({ kind: "failed", message: `${file.name} was not imported: ${describeApiError(err)}` }),
    ).finally(() => {
      if (handle.current === h) handle.current = null;
    });
  };

  const busy = state.kind === "uploading";
  // Once the file is sent the server finishes the import whatever the page does: nothing left to cancel.
  const cancellable = busy && state.progress.import === undefined;
  return (
    <div className="flights__import">
      <label className={busy ? "btn btn--primary flights__file flights__file--busy" : "btn btn--primary flights__file"}>
        Import .tlog
        <input type="file" accept=".tlog" className="flights__file-input" disabled={busy} onChange={start} data-testid="flights-import-input" />
      </label>
      {cancellable && (
        <button type="button" className="btn btn--quiet" onClick={() => handle.current?.abort()}>
          Cancel upload
        </button>
      )}
      <Outcome state={state} />
    </div>
  );
}
