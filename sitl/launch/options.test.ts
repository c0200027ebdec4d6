import { describe, expect, it } from "vitest";
import { checkStartOptions, serverCommand } from "./options";
import type { RawStartOptions } from "./options";

const base: RawStartOptions = { vehicles: "1", basePort: "5760", sysidBase: "1", paramName: "auto" };

describe("checkStartOptions", () => {
  it("defaults to one built-in vehicle", () => {
    const r = checkStartOptions(base);
    expect(r).toMatchObject({ ok: true, options: { backend: "builtin", vehicles: 1, basePort: 5760, home: null, udp: null, fastBoot: false } });
  });

  it("picks the backend and reads every value", () => {
    const r = checkStartOptions({ ...base, vehicles: "3", binary: "/opt/arducopter", speedup: "4", defaults: "copter.parm", home: "51.5,-0.12,20", paramName: "SYSID_THISMAV" });
    expect(r).toMatchObject({ ok: true, options: { backend: "binary", vehicles: 3, speedup: 4, defaults: "copter.parm", home: { lat: 51.5, lon: -0.12, altAmsl: 20 }, paramName: "SYSID_THISMAV" } });
    expect(checkStartOptions({ ...base, docker: true, udp: undefined })).toMatchObject({ ok: true, options: { backend: "docker" } });
    expect(checkStartOptions({ ...base, udp: "127.0.0.1:14550" })).toMatchObject({ ok: true, options: { udp: { host: "127.0.0.1", port: 14550 } } });
  });

  it("lists every problem at once, including options the chosen backend does not have", () => {
    const r = checkStartOptions({ ...base, vehicles: "50", docker: true, binary: "x", udp: "nowhere", sysidBase: "0", speedup: "-1", paramName: "SYSID" });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual(expect.arrayContaining([
      "--docker and --binary: choose one backend",
      "--udp works only with the built-in simulator",
      expect.stringMatching(/^--vehicles: expected a whole number from 1 to 20/),
      expect.stringMatching(/^--sysid-base/),
      expect.stringMatching(/^--speedup/),
      expect.stringMatching(/^--param-name/),
      expect.stringMatching(/^--udp: expected HOST:PORT/),
    ]));
    const builtin = checkStartOptions({ ...base, defaults: "copter.parm", workDir: "/tmp/x" });
    expect(builtin.ok ? [] : builtin.problems).toEqual(["--defaults works only with --binary", "--work-dir works only with --docker or --binary"]);
  });
});

describe("serverCommand", () => {
  it("gives one --link per link", () => {
    expect(serverCommand(["tcpout://127.0.0.1:5760", "tcpout://127.0.0.1:5770"]))
      .toBe("npm start -- --link tcpout://127.0.0.1:5760 --link tcpout://127.0.0.1:5770");
  });
});
