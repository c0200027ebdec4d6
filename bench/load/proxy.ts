/**
 * Load harness, several servers behind one address: a TCP proxy handing each new connection to the next server in
 * turn (round robin, as a layer-4 load balancer does). The viewers use WebSocket only, so a connection stays with
 * the server it was handed to and no stickiness is needed. Its own process, so its CPU is the harness's, not the
 * servers'. Usage (forked by bench/load.ts): proxy.ts PORT TARGET_PORT...
 */
import net from "node:net";

const [portText = "0", ...targets] = process.argv.slice(2);
const ports = targets.map(Number);
let next = 0;
const server = net.createServer((client) => {
  const port = ports[next++ % ports.length]!;
  const upstream = net.connect(port, "127.0.0.1");
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  client.pipe(upstream);
  upstream.pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", close);
  upstream.on("error", close);
  client.on("close", close);
  upstream.on("close", close);
});
server.listen(Number(portText), "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
});
process.on("message", (m) => {
  if (m === "stop") server.close(() => process.exit(0));
});
