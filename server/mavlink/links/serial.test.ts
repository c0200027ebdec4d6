import { afterEach, describe, expect, it } from "vitest";
import { createLink } from "./create";
import type { MavLink } from "../types";
import { silent } from "../../../test/support/mavlink/links";
import type { LinkStatus } from "../../protocol";

const open: MavLink[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

describe("serial link without the device", () => {
  it("reports the missing device and keeps retrying without throwing", async () => {
    const l = createLink("serial:///dev/ttyDOES_NOT_EXIST0:57600", { logger: silent, backoff: { initialMs: 30, maxMs: 60 } });
    open.push(l);
    const seen: LinkStatus["connection"][] = [];
    l.on("status", (s) => seen.push(s.connection));
    await l.start();
    await new Promise((r) => setTimeout(r, 400));
    expect(l.status()).toMatchObject({ kind: "serial", peers: 0 });
    expect(l.status().lastError).toMatch(/cannot open \/dev\/ttyDOES_NOT_EXIST0/);
    // connecting -> error, more than once: it retried.
    expect(seen.filter((c) => c === "error").length).toBeGreaterThan(1);
    await l.close();
    expect(l.status().connection).toBe("closed");
    const count = seen.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(seen.length).toBe(count);
  });
});
