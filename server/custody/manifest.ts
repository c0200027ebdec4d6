/** The evidence bundle's manifest: what it holds, where, and the hash each file had when it was sealed or stored. */
import { z } from "zod";

export const BUNDLE_FORMAT = "dmc-evidence-bundle/1";
export const SUMS_FILE = "SHA256SUMS";
export const MANIFEST_FILE = "manifest.json";
export const CHAIN_FILE = "custody/chain.jsonl";
export const CHECKPOINT_FILE = "custody/checkpoint.json";
export const CUSTODY_CSV = "custody/custody.csv";

const sha = z.string().regex(/^[0-9a-f]{64}$/);
/** A path inside the bundle: relative, forward slashes, no way out of it. */
const inside = z.string().min(1).max(300).regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\-/]+$/, "a relative path inside the bundle");

/** A derivative: its own file and hash, its parent's hash, and exactly how it was made (to be repeatable). */
const derivativeSchema = z.object({
  id: z.number(), kind: z.string(), fromS: z.number().nullable(), toS: z.number().nullable(),
  parentSha256: sha, sha256: sha, sizeBytes: z.number(), file: inside,
  command: z.array(z.string()), ffmpegVersion: z.string(),
  requestedBy: z.string(), requestedAt: z.number(), madeAt: z.number(), reason: z.string(),
});

export const manifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  createdAt: z.string(),
  createdBy: z.string(),
  generator: z.object({ name: z.string(), version: z.string() }),
  incident: z.object({ id: z.number(), reference: z.string(), title: z.string(), file: inside }),
  flights: z.array(z.object({
    id: z.number(), vehicle: z.string(), startedAt: z.number(), endedAt: z.number().nullable(), sha256: sha, sizeBytes: z.number(), file: inside,
  })),
  footage: z.array(z.object({
    id: z.number(), originalName: z.string(), sha256: sha, sizeBytes: z.number(), file: inside,
    sidecar: z.object({ name: z.string(), sha256: sha, sizeBytes: z.number(), file: inside }).nullable(),
    syncs: z.array(z.object({ flightId: z.number(), startsAt: z.number(), source: z.string(), detail: z.string(), setBy: z.string(), setAt: z.number(), reason: z.string().nullable() })),
    /** Files made from the original by ffmpeg (absent in bundles made before derivatives existed). */
    derivatives: z.array(derivativeSchema).default([]),
  })),
  custody: z.object({
    /** The audit entries of the incident and its items, by id: each is in the chain file. */
    entries: z.array(z.number().int().positive()),
    csv: inside,
    chain: inside,
    checkpoint: inside,
    /** The chain file runs from this entry to the checkpoint's. */
    chainFrom: z.number().int().positive(),
    chainTo: z.number().int().positive(),
  }),
});

export type BundleManifest = z.infer<typeof manifestSchema>;
