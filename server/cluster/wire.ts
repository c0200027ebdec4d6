import type { z } from "zod";

/**
 * A message from another server, checked before it is used: servers of one deployment trust each other (Redis is
 * theirs alone), but a wrong message (an older version, a fault) is refused and counted, never acted on.
 */
export function readMessage<S extends z.ZodType>(schema: S, raw: string, maxBytes: number): { ok: true; value: z.infer<S> } | { ok: false; why: string } {
  if (raw.length > maxBytes) return { ok: false, why: "message too long" };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, why: "not JSON" };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data as z.infer<S> } : { ok: false, why: parsed.error.issues[0]?.message ?? "not a message" };
}
