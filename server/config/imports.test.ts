import { describe, expect, it } from "vitest";
import { helpText, loadConfig } from "./load";

const env = { DMC_ADMIN_USER: "" };

describe("--import-max-bytes", () => {
  it("is 4 GiB by default, takes bytes or a unit from the flag or DMC_IMPORT_MAX_BYTES, and is in the help", () => {
    const def = loadConfig([], env);
    expect(def.ok === true && def.config.importMaxBytes).toBe(4 * 1024 ** 3);
    const flag = loadConfig(["--import-max-bytes", "512MiB"], env);
    expect(flag.ok === true && flag.config.importMaxBytes).toBe(512 * 1024 ** 2);
    const decimal = loadConfig(["--import-max-bytes", "10GB"], env);
    expect(decimal.ok === true && decimal.config.importMaxBytes).toBe(10e9);
    const fromEnv = loadConfig([], { ...env, DMC_IMPORT_MAX_BYTES: "1048576" });
    expect(fromEnv.ok === true && fromEnv.config.importMaxBytes).toBe(1024 ** 2);
    expect(helpText()).toMatch(/--import-max-bytes <size>.*DMC_IMPORT_MAX_BYTES/s);
  });

  it("refuses what is not a size, with the flag's name", () => {
    for (const bad of ["lots", "-5", "12 parsecs", "100"]) {
      const r = loadConfig(["--import-max-bytes", bad], env);
      expect(r.ok).toBe(false);
      expect(r.ok === false && r.problems.join("\n")).toMatch(/^--import-max-bytes: /);
    }
  });
});
