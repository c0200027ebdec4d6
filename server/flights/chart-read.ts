import { fileChunks, tlogEntryChunks } from "./export";
import { ChartFold } from "./chart-fold";
import type { ChartFoldResult, ChartVehicle } from "./chart-fold";

/** What a worker is asked to read. */
export interface ChartReadRequest {
  file: string;
  vehicle: ChartVehicle;
  window: { from: number; to: number };
}

/** Reads a .tlog into the chart series, chunk by chunk (bounded memory whatever the file's size). */
export async function readCharts(req: ChartReadRequest): Promise<ChartFoldResult> {
  const fold = new ChartFold(req.vehicle, req.window);
  for await (const entries of tlogEntryChunks(fileChunks(req.file))) {
    for (const e of entries) fold.push(e.timeUs, e.frame);
  }
  return fold.finish();
}
