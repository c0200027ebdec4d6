import type { ClientConfig } from "../../../server/protocol";

function isClientConfig(value: unknown): value is ClientConfig {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.tileUrl === null || typeof v.tileUrl === "string") &&
    typeof v.tickMs === "number" &&
    typeof v.lostAfterMs === "number" &&
    typeof v.version === "string"
  );
}

/** GET /api/config. Throws with a readable message if the server is unreachable or answers nonsense. */
export async function fetchClientConfig(fetchFn: typeof fetch = fetch, signal?: AbortSignal): Promise<ClientConfig> {
  const res = await fetchFn("/api/config", { signal, headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`GET /api/config: HTTP ${res.status}`);
  const body: unknown = await res.json();
  if (!isClientConfig(body)) throw new Error("GET /api/config: unexpected response");
  return { ...body, tileAttribution: typeof body.tileAttribution === "string" ? body.tileAttribution : "" };
}

/**
 * Fetches the config, retrying until it succeeds: the client may load before the server is up
 * (a control-room screen after a power cut). The app runs on defaults meanwhile.
 */
export function loadClientConfig(onConfig: (config: ClientConfig) => void, retryMs = 5000, fetchFn: typeof fetch = fetch): () => void {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const attempt = () => {
    fetchClientConfig(fetchFn, abort.signal).then(onConfig, () => {
      if (!abort.signal.aborted) timer = setTimeout(attempt, retryMs);
    });
  };
  attempt();
  return () => {
    abort.abort();
    clearTimeout(timer);
  };
}
