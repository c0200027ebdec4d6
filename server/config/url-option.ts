import { z } from "zod";

/**
 * An option naming a server by URL, or its built-in alternative (`sqlite`, `none`): the word given as `builtin`
 * (any case) gives null; a URL must have one of `schemes` and a host. Every refusal says what was expected and
 * never quotes the value (it may hold a password). `check` refuses the rest of the URL by returning a problem.
 */
export function urlOption<T>(opts: {
  builtin: string;
  schemes: readonly string[];
  /** "influx://host:8086/database": the form shown in every refusal. */
  example: string;
  /** "InfluxDB": whose URL it is, in "the InfluxDB URL needs a host". */
  what: string;
  builtinValue: T;
  parse(url: URL, value: string, problem: (message: string) => never): T;
}) {
  const expected = `expected '${opts.builtin}' or ${opts.example}`;
  return z.string().transform((text, ctx): T => {
    const value = text.trim();
    if (value.toLowerCase() === opts.builtin || (opts.builtin === "none" && value === "")) return opts.builtinValue;
    const problem = (message: string): never => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return problem(expected);
    }
    const scheme = url.protocol.replace(/:$/, "");
    if (!opts.schemes.includes(scheme)) return problem(`unknown scheme ${scheme}: ${expected}`);
    if (url.hostname === "") return problem(`the ${opts.what} URL needs a host`);
    return opts.parse(url, value, problem);
  });
}
