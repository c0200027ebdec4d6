import { useState } from "react";

/** The file's SHA-256 in full (selectable), with a button that copies it. */
export function Sha({ sha256 }: { sha256: string }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = () => {
    navigator.clipboard?.writeText(sha256).then(() => setCopied("copied"), () => setCopied("select it and copy"));
  };
  return (
    <span className="footage-sha">
      <code className="footage-sha__value" data-testid="footage-sha" title={sha256}>{sha256}</code>
      <button type="button" className="btn btn--small btn--quiet" onClick={copy} aria-label="Copy the SHA-256">Copy</button>
      {copied && <span className="muted" role="status">{copied}</span>}
    </span>
  );
}
