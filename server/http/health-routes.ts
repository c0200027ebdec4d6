import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Route } from "./route";
import { noQuery } from "./route";

/** How long one check of the data directory answers /healthz: monitors poll often, the disk need not be hit each time. */
export const WRITABLE_CACHE_MS = 5000;

/** GET /healthz: for monitoring, without a session, so nothing in it may identify links, vehicles or people. */
export interface Healthz {
  status: "ok" | "degraded";
  version: string;
  dataDirWritable: boolean;
  links: { configured: number; up: number };
}

/**
 * Whether files can be created in the data directory (read-only mount, full disk, permissions), by writing and
 * removing a tiny file; one check answers every caller for a few seconds, and callers meanwhile share it.
 */
export function writableCheck(dataDir: string, clock: () => number = Date.now, cacheMs = WRITABLE_CACHE_MS): () => Promise<boolean> {
  let last: { at: number; result: Promise<boolean> } | null = null;
  const probe = async (): Promise<boolean> => {
    const file = path.join(dataDir, `.healthz-${randomBytes(6).toString("hex")}`);
    try {
      await writeFile(file, "ok", { flag: "wx" });
      return true;
    } catch {
      return false;
    } finally {
      await rm(file, { force: true }).catch(() => undefined);
    }
  };
  return () => {
    const t = clock();
    if (last === null || t - last.at >= cacheMs) last = { at: t, result: probe() };
    return last.result;
  };
}

export const HEALTH_ROUTES: Route[] = [{
  method: "get",
  path: "/healthz",
  access: "public",
  query: noQuery,
  async handle(source, _req, res) {
    const links = source.links();
    const dataDirWritable = await source.dataDirWritable();
    const body: Healthz = {
      status: dataDirWritable ? "ok" : "degraded",
      version: source.version,
      dataDirWritable,
      links: { configured: links.length, up: links.filter((l) => l.connection === "open").length },
    };
    // A monitor alarms on the status code: recording is impossible while the data directory cannot be written.
    res.status(dataDirWritable ? 200 : 503).json(body);
  },
}];
