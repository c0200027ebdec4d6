import { describe, expect, it } from "vitest";
import { StopStack } from "./lifecycle";

describe("StopStack", () => {
  it("stops what was built newest first, waiting for each", async () => {
    const stops = new StopStack();
    const order: string[] = [];
    stops.add(() => order.push("database"));
    stops.add(async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      order.push("recorder");
    });
    stops.add(() => order.push("web server"));
    await stops.stopAll();
    expect(order).toEqual(["web server", "recorder", "database"]);
  });

  it("throws the first failure and leaves what it uses as it is; a second stopAll does nothing", async () => {
    const stops = new StopStack();
    const order: string[] = [];
    stops.add(() => order.push("database"));
    stops.add(() => {
      throw new Error("recorder could not seal");
    });
    stops.add(() => order.push("web server"));
    await expect(stops.stopAll()).rejects.toThrow("recorder could not seal");
    expect(order).toEqual(["web server"]);
    await stops.stopAll();
    expect(order).toEqual(["web server"]);
  });
});
