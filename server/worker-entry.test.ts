import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BUILT, WORKER_MODULES } from "./worker-entry";

describe("worker modules", () => {
  it("are exactly the server's *-worker.ts files, which the build bundles one by one", () => {
    const found = (fs.readdirSync(__dirname, { recursive: true }) as string[])
      .filter((f) => f.endsWith("-worker.ts"))
      .map((f) => f.split(path.sep).join("/").replace(/\.ts$/, ""))
      .sort();
    expect([...WORKER_MODULES].sort()).toEqual(found);
    const build = (JSON.parse(fs.readFileSync(path.join(__dirname, "../package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["build:server"];
    expect(build).toContain("'server/**/*-worker.ts'");
    // Run from the sources here: workers start through the boot file that registers tsx.
    expect(BUILT).toBe(false);
  });
});
