import path from "node:path";
import { build } from "vite";

/**
 * The end-to-end tests drive the real built client, so build it once before they run — as `npm run build`
 * does. Vitest sets NODE_ENV=test, which would make Vite bundle React's development build instead.
 */
export default async function setup(): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: path.resolve(__dirname, "../../vite.config.ts"), mode: "production", logLevel: "warn" });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
