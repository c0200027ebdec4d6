import os from "node:os"; import path from "node:path"; import fs from "node:fs";
import pino from "pino";
import { openAppDatabase } from "../server/storage";
import { MIGRATIONS } from "../server/migrations";
import { SqliteSeriesStore } from "../server/flights";
import { pointsOf } from "../server/flights/series/sampler";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sq-"));
const db = openAppDatabase(dir, pino({ level: "silent" }), MIGRATIONS);
if (process.argv[2]) db.pragma(`wal_autocheckpoint = ${process.argv[2]}`);
const store = new SqliteSeriesStore(db, { log: pino({ level: "silent" }) });
const v: any = { key: "1:1", lastUpdate: 0, position: { lat: 1, lon: 2, altAmsl: 3, altRelative: 4 }, heading: 1, groundSpeed: 2, climb: 0.1, attitude: { roll: 0.1, pitch: 0.2, yaw: 0.3 }, battery: { voltage: 12, current: 3, remaining: 50 }, gps: { fix: "3d", satellites: 10, hdop: 0.8 }, armed: true, customMode: 4, link: { heartbeatAgeMs: 100 } };
let t = Date.now(); const times: number[] = [];
for (let tick = 0; tick < 300; tick++) {
  const pts = [];
  t += 200;
  for (let i = 0; i < 200; i++) pts.push(...pointsOf({ ...v, key: `${i}:1`, lastUpdate: t }, 1));
  const s = performance.now(); store.write(pts); times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
const sum = times.reduce((a, b) => a + b, 0);
console.log(`ticks 300 x 1000 rows: mean ${(sum / 300).toFixed(1)} ms/tick (${(sum / 300 / 1000 * 1000).toFixed(1)} us/row), p50 ${times[150]!.toFixed(1)}, max ${times[299]!.toFixed(1)}`);
