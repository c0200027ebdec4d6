/**
 * The evidence bundle of an incident, for the prosecutor: a folder with the originals (flights' .tlog files, footage,
 * sidecars) and the footage's derivatives (clips, browser copies, with the command that made each) copied and each copy's SHA-256 checked against its seal, the incident record with its history and links,
 * the sync offsets, the custody log (CSV), the stretch of the audit hash chain that holds it with the signed
 * checkpoint that closes it and the key to check that signature, a manifest, a README, and SHA256SUMS that
 * `sha256sum -c` accepts. Built under a temporary name and renamed when complete: a half-built bundle is never seen.
 * Copies go through libuv's thread pool and hashes through a worker thread: the event loop only coordinates.
 */
import fs from "node:fs";
import path from "node:path";
import type { AuditEntry, AuditInput, CheckpointExport } from "../audit";
import type { FlightSummary, FootageSummary, FootageSync, Incident, IncidentDetail } from "../protocol";
import { sha256OfFile } from "../footage";
import type { Sidecar } from "../footage";
import { custodyCsv, custodyEntries, incidentTargets } from "./custody";
import type { CustodySources } from "./custody";
import { BUNDLE_FORMAT, CHAIN_FILE, CHECKPOINT_FILE, CUSTODY_CSV, MANIFEST_FILE, SUMS_FILE } from "./manifest";
import type { BundleManifest } from "./manifest";
import { README } from "./readme";

/** Audit entries in a bundle's chain file: past this the export is refused with the reason (export a later span). */
export const MAX_CHAIN_ENTRIES = 2_000_000;

export interface BundleDeps extends CustodySources {
  exportsDir: string;
  incident(id: number): Promise<IncidentDetail | null>;
  /** The flight's catalogue row (FlightCatalogue.get). */
  flight(id: number): Promise<FlightSummary | null>;
  /** The flight's .tlog, or null when it is not in the data directory. */
  flightFile(f: FlightSummary): string | null;
  /** The footage row with its derivatives (FootageCatalogue.get). */
  footage(id: number): Promise<FootageSummary | null>;
  original(sha256: string): Promise<string | null>;
  sidecar(footageId: number): Promise<Sidecar | null>;
  syncs(footageId: number): Promise<FootageSync[]>;
  audit: CustodySources["audit"] & {
    append(input: AuditInput): Promise<AuditEntry>;
    range(from: number, to: number): Promise<AuditEntry[]>;
    exportCheckpoint(): Promise<CheckpointExport | null>;
  };
  version: string;
  now(): number;
}

export interface BundleResult {
  name: string;
  dir: string;
  files: number;
  bytes: number;
}

export class BundleError extends Error {}

const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "incident";
const extOf = (name: string) => /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0].toLowerCase() ?? ".bin";

export async function buildBundle(incidentId: number, who: { name: string; address: string }, deps: BundleDeps): Promise<BundleResult> {
  const detail = await deps.incident(incidentId);
  if (!detail) throw new BundleError(`there is no incident ${incidentId}`);
  const { incident } = detail;
  const stamp = new Date(deps.now()).toISOString().replace(/[:.]/g, "").replace("T", "-");
  const name = `${slug(incident.reference)}-${stamp}`;
  const dir = path.join(deps.exportsDir, name);
  const work = `${dir}.partial`;
  await fs.promises.mkdir(work, { recursive: true });
  try {
    const sums = new Map<string, string>();
    const live = detail.links.filter((l) => l.unlinkedAt === null);
    const flights = await copyFlights(live.filter((l) => l.kind === "flight").map((l) => l.itemId), work, sums, deps);
    const footage = await copyFootage(live.filter((l) => l.kind === "footage").map((l) => l.itemId), work, sums, deps);
    // The export is itself in the custody log it carries: appended before the chain is cut and signed.
    await exported(incident, flights.map((f) => f.id), footage.map((f) => f.id), name, who, deps);
    const custody = await writeCustody(incidentId, detail, work, sums, deps);
    await writeSmall(work, `incident-${incident.id}.json`, JSON.stringify(detail, null, 2), sums);
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT, createdAt: new Date(deps.now()).toISOString(), createdBy: who.name, generator: { name: "drone-mission-control", version: deps.version },
      incident: { id: incident.id, reference: incident.reference, title: incident.title, file: `incident-${incident.id}.json` },
      flights, footage, custody,
    };
    await writeSmall(work, MANIFEST_FILE, JSON.stringify(manifest, null, 2), sums);
    await writeSmall(work, "README.txt", README(manifest), sums);
    const lines = [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([file, hash]) => `${hash}  ${file}`);
    await fs.promises.writeFile(path.join(work, SUMS_FILE), `${lines.join("\n")}\n`, { flag: "wx" });
    await fs.promises.rename(work, dir);
    const bytes = [...flights, ...footage, ...footage.flatMap((f) => f.derivatives)].reduce((n, f) => n + f.sizeBytes, 0);
    return { name, dir, files: sums.size + 1, bytes };
  } catch (err) {
    await fs.promises.rm(work, { recursive: true, force: true });
    throw err;
  }
}

/** Copies `src` to `rel` in the bundle and checks the copy against `sha256` (what the file was sealed or stored as). */
async function copyChecked(src: string, work: string, rel: string, sha256: string, what: string, sums: Map<string, string>): Promise<void> {
  const dst = path.join(work, rel);
  await fs.promises.mkdir(path.dirname(dst), { recursive: true });
  await fs.promises.copyFile(src, dst, fs.constants.COPYFILE_EXCL);
  const { sha256: copy } = await sha256OfFile(dst);
  if (copy !== sha256) throw new BundleError(`${what}: the file's SHA-256 is ${copy}, not ${sha256} as sealed: it was altered and is not exported`);
  sums.set(rel, copy);
}

async function copyFlights(ids: number[], work: string, sums: Map<string, string>, deps: BundleDeps): Promise<BundleManifest["flights"]> {
  const out: BundleManifest["flights"] = [];
  for (const id of ids) {
    const f = await deps.flight(id);
    const file = f && deps.flightFile(f);
    if (!f || !file) throw new BundleError(`flight ${id}: its .tlog is not in the data directory`);
    if (f.sha256 === null || f.sizeBytes === null) throw new BundleError(`flight ${id} is not sealed yet (still recording): export it once it has landed`);
    const rel = `flights/flight-${f.id}.tlog`;
    await copyChecked(file, work, rel, f.sha256, `flight ${f.id}`, sums);
    out.push({ id: f.id, vehicle: f.vehicle.key, startedAt: f.startedAt, endedAt: f.endedAt, sha256: f.sha256, sizeBytes: f.sizeBytes, file: rel });
  }
  return out;
}

async function copyFootage(ids: number[], work: string, sums: Map<string, string>, deps: BundleDeps): Promise<BundleManifest["footage"]> {
  const out: BundleManifest["footage"] = [];
  for (const id of ids) {
    const f = await deps.footage(id);
    const original = f && await deps.original(f.sha256);
    if (!f || !original) throw new BundleError(`footage ${id}: its original is not in the evidence store`);
    const rel = `footage/footage-${f.id}${extOf(f.originalName)}`;
    await copyChecked(original, work, rel, f.sha256, `footage ${f.id}`, sums);
    const side = await deps.sidecar(f.id);
    let sidecar: BundleManifest["footage"][number]["sidecar"] = null;
    if (side) {
      const src = await deps.original(side.sha256);
      if (!src) throw new BundleError(`footage ${id}: its sidecar ${side.name} is not in the evidence store`);
      const sideRel = `footage/footage-${f.id}${extOf(side.name)}`;
      await copyChecked(src, work, sideRel, side.sha256, `the sidecar of footage ${f.id}`, sums);
      sidecar = { name: side.name, sha256: side.sha256, sizeBytes: side.sizeBytes, file: sideRel };
    }
    const syncs = (await deps.syncs(f.id)).map(({ flightId, startsAt, source, detail, setBy, setAt, reason }) => ({ flightId, startsAt, source, detail, setBy, setAt, reason }));
    const derivatives = await copyDerivatives(f, work, sums, deps);
    out.push({ id: f.id, originalName: f.originalName, sha256: f.sha256, sizeBytes: f.sizeBytes, file: rel, sidecar, syncs, derivatives });
  }
  return out;
}

/** The files made from an original (clips, browser copies), each checked against the hash it was stored under. */
async function copyDerivatives(f: FootageSummary, work: string, sums: Map<string, string>, deps: BundleDeps): Promise<BundleManifest["footage"][number]["derivatives"]> {
  const out: BundleManifest["footage"][number]["derivatives"] = [];
  for (const d of f.derivatives ?? []) {
    const src = await deps.original(d.sha256);
    if (!src) throw new BundleError(`footage ${f.id}: its derivative ${d.id} (${d.kind}) is not in the evidence store`);
    const rel = `footage/footage-${f.id}-derivative-${d.id}-${d.kind}.mp4`;
    await copyChecked(src, work, rel, d.sha256, `derivative ${d.id} of footage ${f.id}`, sums);
    out.push({
      id: d.id, kind: d.kind, fromS: d.fromS, toS: d.toS, parentSha256: d.parentSha256, sha256: d.sha256, sizeBytes: d.sizeBytes, file: rel,
      command: d.command, ffmpegVersion: d.ffmpegVersion, requestedBy: d.requestedBy, requestedAt: d.requestedAt, madeAt: d.madeAt, reason: d.reason,
    });
  }
  return out;
}

async function exported(incident: Incident, flights: number[], footage: number[], bundle: string, who: { name: string; address: string }, deps: BundleDeps): Promise<void> {
  const entry = (action: AuditInput["action"], target: string) =>
    deps.audit.append({ actor: who.name, address: who.address, action, target, result: "ok", detail: { bundle, incident: incident.reference } });
  // Appended in this order, one after the other: the log shows each item, then the incident.
  await Promise.all([
    ...flights.map((id) => entry("flight_exported", `flight:${id}`)),
    ...footage.map((id) => entry("footage_exported", `footage:${id}`)),
    entry("incident_exported", `incident:${incident.id}`),
  ]);
}

async function writeCustody(incidentId: number, detail: IncidentDetail, work: string, sums: Map<string, string>, deps: BundleDeps): Promise<BundleManifest["custody"]> {
  const entries = await custodyEntries(await incidentTargets(incidentId, detail.links, deps), deps);
  const checkpoint = await deps.audit.exportCheckpoint();
  if (!checkpoint) throw new BundleError("the audit log has no signing key: a bundle's custody log could not be proven");
  const from = entries[0]?.id ?? checkpoint.checkpoint.entryId;
  const to = checkpoint.checkpoint.entryId;
  if (to - from + 1 > MAX_CHAIN_ENTRIES) throw new BundleError(`the custody log spans ${to - from + 1} audit entries, more than ${MAX_CHAIN_ENTRIES} a bundle carries`);
  await fs.promises.mkdir(path.join(work, "custody"), { recursive: true });
  // Written a slice at a time: the span can be long.
  const chain = await fs.promises.open(path.join(work, CHAIN_FILE), "wx");
  try {
    for (let a = from; a <= to; a += 5000) {
      const slice = await deps.audit.range(a, Math.min(to, a + 4999));
      await chain.write(slice.map((e) => JSON.stringify(e)).join("\n") + (slice.length > 0 ? "\n" : ""));
    }
  } finally {
    await chain.close();
  }
  sums.set(CHAIN_FILE, (await sha256OfFile(path.join(work, CHAIN_FILE))).sha256);
  await writeSmall(work, CHECKPOINT_FILE, JSON.stringify(checkpoint, null, 2), sums);
  await writeSmall(work, CUSTODY_CSV, custodyCsv(entries), sums);
  return { entries: entries.map((e) => e.id), csv: CUSTODY_CSV, chain: CHAIN_FILE, checkpoint: CHECKPOINT_FILE, chainFrom: from, chainTo: to };
}

async function writeSmall(work: string, rel: string, text: string, sums: Map<string, string>): Promise<void> {
  const file = path.join(work, rel);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, text, { flag: "wx" });
  sums.set(rel, (await sha256OfFile(file)).sha256);
}
