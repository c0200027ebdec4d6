import net from "node:net";
import { describe, expect, it } from "vitest";
import { configProblemsText, firstAdminText, linkListenProblem, listenProblem, startedText } from "./server-messages";

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

  it("tells the terminal how to create the first administrator, or why the one asked for was not made", () => {
    expect(firstAdminText({ kind: "none", howTo: "Create one: npm run user -- add" })).toBe("\nCreate one: npm run user -- add\n");
    expect(firstAdminText({ kind: "invalid", message: "DMC_ADMIN_PASSWORD is too short" })).toBe("\nDMC_ADMIN_PASSWORD is too short\n");
    // A created administrator is logged (with a reminder to unset the password), not printed.
    expect(firstAdminText({ kind: "created", name: "chief" })).toBeNull();
    expect(firstAdminText({ kind: "already" })).toBeNull();
  });

  it("says where the live map is, a wildcard address shown as localhost", () => {
    expect(startedText({ httpHost: "0.0.0.0", links: ["udpin://0.0.0.0:14550", "tcpout://127.0.0.1:5760"] }, 8080)).toBe(
      "\nLive map: http://localhost:8080/\nMAVLink links: udpin://0.0.0.0:14550, tcpout://127.0.0.1:5760\n\n");
    expect(startedText({ httpHost: "127.0.0.1", links: ["udpin://0.0.0.0:14550"] }, 3000)).toMatch(
      /^\nLive map: http:\/\/127\.0\.0\.1:3000\/\n.*\nWeb server on loopback only; use --http-host 0\.0\.0\.0/s);
  });
});
