/** server/footage: drone footage uploaded resumably, stored write-once under its SHA-256, probed, linked to incidents. */
export { footageMigrations } from "./schema";
export { FootageCatalogue } from "./catalogue";
export type { UploadRecord } from "./catalogue";
export { FsEvidenceStore } from "./evidence-store";
export type { EvidenceStore } from "./evidence-store";
export { FootageIngest } from "./ingest";
export { FootageUploads, UPLOAD_PATH, MAX_UNFINISHED_PER_USER, cleanName } from "./uploads";
export { probeFile, readProbe, parseIso6709, makeThumbnails, ffmpegVersion } from "./probe";
export { sha256OfFile } from "./hash";
export { buildFootage } from "./build";
export type { FootageBuildDeps, FootageParts } from "./build";
