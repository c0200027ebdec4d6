import type { CommandReply, Result, VehicleCommandRequest } from "../../../../server/protocol";

/**
 * How the panel reaches the server. Injected (not read from the session) so tests pass a fake and the
 * integrator decides the transport (the typed "vehicle:command" request over Socket.IO).
 */
export interface CommandSender {
  send(request: VehicleCommandRequest): Promise<Result<CommandReply>>;
}

/** A point picked on the map for "Go to". */
export interface GotoPoint {
  lat: number;
  lon: number;
}
