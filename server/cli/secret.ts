/** Reads the first line of a piped stdin (scripts: `echo "$PW" | npm run user -- add NAME --role admin`). */
export async function readFirstLine(input: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
    if (chunks.some((c) => c.includes(10))) break;
  }
  return (Buffer.concat(chunks).toString("utf8").split("\n")[0] ?? "").replace(/\r$/, "");
}

/** Asks for a secret on a terminal without echoing it. Ctrl-C aborts. */
export function promptHidden(question: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(question);
    let typed = "";
    input.setRawMode(true);
    input.resume();
    input.setEncoding("utf8");
    const done = (error: Error | null) => {
      input.setRawMode(false);
      input.pause();
      input.off("data", onData);
      output.write("\n");
      if (error) reject(error); else resolve(typed);
    };
    const onData = (data: string) => {
      for (const ch of data) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return done(null);
        if (ch === "\u0003") return done(new Error("cancelled"));
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else if (ch >= " ") typed += ch;
      }
    };
    input.on("data", onData);
  });
}

/** A new password: from a pipe (first line), or typed twice on a terminal. */
export async function readNewPassword(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  if (!input.isTTY) return readFirstLine(input);
  const first = await promptHidden("New password: ", input, output);
  const second = await promptHidden("Repeat it: ", input, output);
  if (first !== second) throw new Error("the two passwords differ");
  return first;
}
