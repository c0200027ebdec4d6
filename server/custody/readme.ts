import type { BundleManifest } from "./manifest";

/** The bundle's README.txt: what it holds and how anyone can check it without this system. */
export function README(m: BundleManifest): string {
  const items = [
    ...m.flights.map((f) => `  ${f.file}  flight ${f.id}, vehicle ${f.vehicle}, ${new Date(f.startedAt).toISOString()}, SHA-256 ${f.sha256}`),
    ...m.footage.flatMap((f) => [
      `  ${f.file}  footage ${f.id} ("${f.originalName}"), SHA-256 ${f.sha256}`,
      ...(f.sidecar ? [`  ${f.sidecar.file}  its sidecar ("${f.sidecar.name}"), SHA-256 ${f.sidecar.sha256}`] : []),
    ]),
  ];
  const derived = m.footage.flatMap((f) => f.derivatives.flatMap((d) => [
    `  ${d.file}  ${d.kind === "clip" ? `a clip of ${d.fromS} s to ${d.toS} s` : d.kind === "browser" ? "a copy a browser can play" : d.kind} of footage ${f.id}, SHA-256 ${d.sha256}`,
    `      made ${new Date(d.madeAt).toISOString()} for ${d.requestedBy} ("${d.reason}") with ${d.ffmpegVersion}:`,
    `      ${d.command.map((a) => (/^[A-Za-z0-9_./:=+,-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ")}`,
  ]));
  return [
    `Evidence bundle: incident ${m.incident.reference} (${m.incident.title})`,
    `Made ${m.createdAt} by ${m.createdBy} with ${m.generator.name} ${m.generator.version}.`,
    "",
    "Originals (byte-for-byte copies of the files as sealed when each flight ended or as each file was uploaded):",
    ...(items.length > 0 ? items : ["  (none linked)"]),
    "",
    ...(derived.length > 0 ? [
      "Derivatives (work copies made from an original by ffmpeg; the original itself is unchanged). The command is as",
      "it was run: the input was the stored original, the output a scratch file, both named on the server:",
      ...derived,
      "",
    ] : []),
    "Also here:",
    `  ${m.incident.file}  the incident record, every change to it, and every link made or ended`,
    `  ${m.custody.csv}  the custody log: every access to the incident and its items (view, download, export, link, sync)`,
    `  ${m.custody.chain}  the audit log's entries ${m.custody.chainFrom} to ${m.custody.chainTo}, each with its SHA-256 and the previous one's`,
    `  ${m.custody.checkpoint}  the signed statement (Ed25519) of entry ${m.custody.chainTo}'s hash, with the public key that signed it`,
    "  manifest.json  what the bundle holds, as data",
    "  SHA256SUMS  the SHA-256 of every file above",
    "",
    "To check that no file was changed since the bundle was made, in this folder:",
    "  sha256sum -c SHA256SUMS            (Linux; on macOS: shasum -a 256 -c SHA256SUMS)",
    "  certutil -hashfile FILE SHA256     (Windows, one file at a time, compared with SHA256SUMS by eye)",
    "",
    "To check everything, including that each original's hash is the one it was sealed with, that the custody log's",
    "entries are unaltered links of the audit hash chain, and that the chain ends at the signed checkpoint:",
    "  npm run verify-bundle -- PATH/TO/THIS/FOLDER     (from a copy of the software, offline)",
    "",
    "Compare the public key's fingerprint in the checkpoint file with the one the unit published or gave you",
    "separately: a bundle re-signed with another key would otherwise check out against itself.",
    "",
  ].join("\n");
}
