import { z } from "zod";
import type { Mission } from "../protocol";

/**
 * A mission as it arrives from a client (Socket.IO, JSON): the same model as the files, checked field by field.
 * Limits follow ArduPilot's storage (700 items per list on SITL; more is refused by the vehicle anyway).
 */
export const MAX_LIST_ITEMS = 1000;

const lat = z.number().finite().min(-90).max(90);
const lon = z.number().finite().min(-180).max(180);
const latLon = z.object({ lat, lon }).strict();
const param = z.number().finite().nullable();

const item = z.object({
  command: z.number().int().min(0).max(65535),
  frame: z.number().int().min(0).max(21),
  params: z.tuple([param, param, param, param]),
  // Non-global frames carry other things in x/y: check ranges only where they are coordinates (below).
  lat: z.number().finite(),
  lon: z.number().finite(),
  alt: z.number().finite().min(-1000).max(100_000),
  autocontinue: z.boolean(),
}).strict();

export const missionSchema: z.ZodType<Mission> = z.object({
  home: z.object({ lat, lon, altAmsl: z.number().finite() }).strict().nullable(),
  items: z.array(item).max(MAX_LIST_ITEMS).superRefine((items, ctx) => {
    items.forEach((it, i) => {
      if (![0, 3, 5, 6, 10, 11].includes(it.frame)) return;
      if (lat.safeParse(it.lat).success && lon.safeParse(it.lon).success) return;
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i], message: `item ${i + 1}: coordinates out of range` });
    });
  }),
  fence: z.object({
    polygons: z.array(z.object({ inclusion: z.boolean(), points: z.array(latLon).min(3).max(MAX_LIST_ITEMS) }).strict())
      .max(100),
    circles: z.array(z.object({ inclusion: z.boolean(), center: latLon, radius: z.number().finite().positive().max(100_000) })
      .strict()).max(100),
  }).strict(),
  rally: z.array(z.object({ lat, lon, alt: z.number().finite().min(-1000).max(100_000) }).strict()).max(100),
}).strict();
