/** server/custody: custody logs of evidence, and evidence bundles a court can check offline. */
export { custodyCsv, custodyEntries, incidentTargets, itemTargets, MAX_CUSTODY_ENTRIES, CUSTODY_COLUMNS } from "./custody";
export type { CustodySources } from "./custody";
export { buildBundle, BundleError, MAX_CHAIN_ENTRIES } from "./bundle";
export type { BundleDeps, BundleResult } from "./bundle";
export { BUNDLE_NAME, ExportJobs } from "./exports";
export { zipBundle } from "./zip";
export type { BundleZip } from "./zip";
export { verifyBundle } from "./verify";
export type { BundleCheck } from "./verify";
export { BUNDLE_FORMAT, SUMS_FILE, MANIFEST_FILE, manifestSchema } from "./manifest";
export type { BundleManifest } from "./manifest";
export { buildCustody } from "./build";
export type { CustodyBuildDeps, CustodyParts } from "./build";
