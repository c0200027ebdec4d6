import type { ChangeEvent } from "react";
import { footageHref } from "./api";
import { describeRow, type UploadRow } from "./queue";
import type { UploadsState } from "./useUploads";

const TONES: Record<UploadRow["phase"], string> = {
  queued: "", uploading: "", paused: "tone--caution", processing: "tone--info", stored: "tone--ok", duplicate: "tone--info",
  refused: "tone--danger", failed: "tone--danger",
};

function Row({ row, onPause, onResume }: { row: UploadRow; onPause(): void; onResume(): void }) {
  const percent = row.size > 0 ? Math.min(100, (row.sent / row.size) * 100) : 0;
  return (
    <li className={`footage-upload footage-upload--${row.phase}`} data-testid="footage-upload" data-phase={row.phase} data-name={row.name}
      data-resumed-from={row.resumedFrom !== null && row.resumedFrom > 0 ? row.resumedFrom : undefined}>
      <span className="footage-upload__name" title={row.name}>{row.name}{row.sidecarName && <span className="muted">{` + ${row.sidecarName}`}</span>}</span>
      <progress className="footage-upload__bar" max={100} value={percent} aria-label={`Upload of ${row.name}`} data-testid="footage-upload-progress" />
      <span className="footage-upload__percent">{`${Math.floor(percent)} %`}</span>
      <span className={`footage-upload__state ${TONES[row.phase]}`} data-testid="footage-upload-state" role={row.phase === "refused" ? "alert" : undefined}>
        {describeRow(row)}
        {row.footageId !== null && (row.phase === "stored" || row.phase === "duplicate") && <> · <a href={footageHref(row.footageId)}>open</a></>}
      </span>
      {row.sidecarResult && (
        <span className={row.sidecarResult.ok ? "tone--ok" : "tone--danger"} data-testid="footage-upload-sidecar">{row.sidecarResult.text}</span>
      )}
      <span className="footage-upload__actions">
        {row.phase === "uploading" && <button type="button" className="btn btn--small" onClick={onPause} data-testid="footage-upload-pause">Pause</button>}
        {(row.phase === "paused" || row.phase === "failed") && <button type="button" className="btn btn--small" onClick={onResume} data-testid="footage-upload-resume">Resume</button>}
      </span>
    </li>
  );
}

/** Pick files or a whole SD-card folder; each upload with its bar, bytes, speed, pause and resume. */
export function UploadPanel({ uploads }: { uploads: UploadsState }) {
  const picked = (fromFolder: boolean) => (e: ChangeEvent<HTMLInputElement>) => {
    const files = e.target.files ? [...e.target.files] : [];
    e.target.value = "";
    if (files.length > 0) uploads.add(files, fromFolder);
  };
  return (
    <section className="footage-uploads" aria-label="Upload footage">
      <div className="footage-uploads__pick">
        <label className="btn">
          Upload files…
          <input type="file" multiple hidden accept="video/*,.srt,.SRT,.mp4,.MP4,.mov,.MOV" onChange={picked(false)} data-testid="footage-pick-files" aria-label="Upload footage files" />
        </label>
        <label className="btn">
          Upload an SD-card folder…
          <input type="file" multiple hidden onChange={picked(true)} data-testid="footage-pick-folder" aria-label="Upload an SD-card folder"
            {...{ webkitdirectory: "" }} />
        </label>
        <span className="muted">A video and its .SRT picked together stay together. An interrupted upload continues when you pick the same file again.</span>
      </div>
      {uploads.notes.map((n) => <p key={n} className="tone--caution" data-testid="footage-upload-note">{n}</p>)}
      {uploads.rows.length > 0 && (
        <ul className="footage-upload-list" data-testid="footage-uploads">
          {uploads.rows.map((r) => <Row key={r.key} row={r} onPause={() => uploads.pause(r.key)} onResume={() => uploads.resume(r.key)} />)}
        </ul>
      )}
    </section>
  );
}
