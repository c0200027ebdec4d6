/** Worker thread: the SHA-256 and size of one file, read as a stream (constant memory, whatever the file's size). */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { answerWorkerJob } from "../flights";

export interface HashRequest {
  file: string;
}

export interface HashResult {
  sha256: string;
  sizeBytes: number;
}

async function hashFile({ file }: HashRequest): Promise<HashResult> {
  const hash = createHash("sha256");
  let sizeBytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), sizeBytes };
}

answerWorkerJob(hashFile);
