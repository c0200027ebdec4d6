import { MAX_FRAME_LENGTH, parseTlog } from "../../mavlink";
import type { TlogEntry } from "../../mavlink";

/** Timestamp (8) + the longest frame: an entry starting further back than this from a chunk's end was complete. */
const LONGEST_ENTRY = 8 + MAX_FRAME_LENGTH;

/**
 * The entries of a .tlog read in chunks (a file stream), one array per chunk, so a file of any size is decoded
 * in bounded memory. The bytes after the last whole entry of a chunk are carried into the next one; when they
 * are only damage, no more than LONGEST_ENTRY of them are carried, as no entry can start before that and still
 * be incomplete. Entries' frames are views into a buffer that is only valid until the next iteration.
 */
export async function* tlogEntryChunks(chunks: AsyncIterable<Buffer>): AsyncGenerator<TlogEntry[]> {
  let carry: Buffer | null = null;
  for await (const chunk of chunks) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const { entries } = parseTlog(buf);
    const last = entries.at(-1);
    const end = last ? last.frame.start + last.frame.length : 0;
    const keepFrom = Math.max(end, buf.length - LONGEST_ENTRY);
    // A copy: the read stream may reuse its buffers.
    carry = keepFrom < buf.length ? Buffer.from(buf.subarray(keepFrom)) : null;
    if (entries.length > 0) yield entries;
  }
}
