import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

export default defineConfig({
  test: {
    // In CI a JSON report lets .ci/run print a plain summary and refuse skipped tests.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "test/artifacts/vitest-results.json" },
    projects: [
      {
        test: {
          name: "server",
          environment: "node",
          include: ["server/**/*.test.ts", "sitl/**/*.test.ts", "bench/**/*.test.ts", "test/integration/**/*.test.ts"],
          testTimeout: 30_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: "client",
          environment: "jsdom",
          include: ["client/**/*.test.{ts,tsx}"],
        },
      },
      {
        test: {
          // Vehicle-facing suite: the built-in simulator by default, any ArduPilot SITL with SITL_LINKS=...
          name: "sitl",
          environment: "node",
          include: ["test/sitl/**/*.test.ts"],
          globalSetup: ["test/sitl/global-setup.ts"],
          // Each file flies its own built-in vehicle; real SITL instances given in SITL_LINKS may be fewer than the
          // files, so there the files take turns.
          fileParallelism: !process.env.SITL_LINKS,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/e2e/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
