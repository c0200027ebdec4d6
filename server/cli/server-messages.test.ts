import net from "node:net";
import { describe, expect, it } from "vitest";
import { configProblemsText, linkListenProblem, listenProblem } from "./server-messages";

/** The error Node gives a second listener on a port, for real. */
async function busyPortError(): Promise<{ err: unknown; port: number }> {
  const first = net.createServer();
  await new Promise<void>((resolve) => first.listen(0, "127.0.0.1", resolve));
  const port = (first.address() as net.AddressInfo).port;
  const second = net.createServer();
  const err = await new Promise<unknown>((resolve) => {
    second.once("error", resolve);
    second.listen(port, "127.0.0.1");
  });
  await new Promise<void>((resolve) => first.close(() => resolve()));
  return { err, port };
}

describe("start-up messages", () => {
  it("lists configuration problems and points to --help instead of printing it", () => {
    expect(configProblemsText(["--tick-ms: must be at least 20", "--link: bad"])).toBe("Configuration problems:\n"
      + "  - --tick-ms: must be at least 20\n  - --link: bad\nEvery option and its environment variable: npm start -- --help\n");
  });

  it("names a busy web server port and the flag to change it", async () => {
    const { err, port } = await busyPortError();
    expect(listenProblem(err, "127.0.0.1", port)).toBe(`port ${port} (127.0.0.1:${port}) is already in use, perhaps by `
      + "another copy of this server: stop it, or choose another port with --http-port (DMC_HTTP_PORT)");
    expect(listenProblem(Object.assign(new Error("x"), { code: "EACCES", syscall: "listen" }), "::", 80))
      .toMatch(/^not allowed to listen on port 80 \(\[::\]:80\): ports below 1024 need privileges/);
    expect(listenProblem(new Error("disk full"), "127.0.0.1", 8080)).toBeNull();
  });

  it("names a busy MAVLink listening address (as mavlink/links reports it)", () => {
    expect(linkListenProblem(new Error("address 0.0.0.0:14550 already in use"))).toMatch(
      /^MAVLink link address 0\.0\.0\.0:14550 is already in use .*change --link \(DMC_LINKS\)$/);
    expect(linkListenProblem(new Error("something else"))).toBeNull();
  });
});
