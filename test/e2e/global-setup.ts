import path from "node:path";
import { build } from "vite";

/** The end-to-end tests drive the real built client, so build it once before they run. */
export default async function setup(): Promise<void> {
  await build({ configFile: path.resolve(__dirname, "../../vite.config.ts"), logLevel: "warn" });
}
