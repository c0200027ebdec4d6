import type { AuditLog } from "../audit";
import type { VehicleKey } from "../protocol";
import type { GroundStation, MissionClient, PilotCommands, VehicleRegistry } from "../vehicles";
import { CommandGate } from "./gate";
import type { RouteOf } from "./gate";
import { MissionService } from "./missions";
import type { MissionServiceDeps } from "./missions";
import { ControlRegistry } from "./registry";
import type { ControlDeps } from "./registry";

/** Calls into components built after control (alerts, realtime); until then they drop. */
export interface ControlWiring {
  changed: ControlDeps["changed"];
  /** Told before a command is sent (the alert rules know the mode change it causes is ours). */
  commanding: NonNullable<ConstructorParameters<typeof CommandGate>[0]["commanding"]>;
  missionProgress: MissionServiceDeps["progress"];
  missionChanged: MissionServiceDeps["changed"];
}

export interface ControlBuildDeps {
  audit: AuditLog;
  clock: () => number;
  registry: VehicleRegistry;
  groundStation: GroundStation;
  pilot: PilotCommands;
  missionClient: MissionClient;
  on: ControlWiring;
}

export interface ControlParts {
  control: ControlRegistry;
  gate: CommandGate;
  missions: MissionService;
}

/** Who holds which vehicle, the gate every command passes, and the mission transfers behind it. */
export function buildControl(deps: ControlBuildDeps): ControlParts {
  const { audit, clock: now, registry, on } = deps;
  const control = new ControlRegistry({
    audit,
    clock: now,
    vehicleKnown: (key) => registry.get(key, now()) !== undefined,
    changed: on.changed,
  });
  const gate = new CommandGate({
    control, audit, route: routeOf(registry, deps.groundStation, now),
    commanding: on.commanding,
    run: (target, vehicle, request, onProgress) => deps.pilot.run(target, vehicle, request.command, { onProgress }),
  });
  const missions = new MissionService({
    gate, transfers: deps.missionClient, clock: now, progress: on.missionProgress, changed: on.missionChanged,
  });
  return { control, gate, missions };
}

/** A command goes out on the link the vehicle was last heard on, if that link can reach it now. */
function routeOf(registry: VehicleRegistry, gs: GroundStation, now: () => number): RouteOf {
  return (key: VehicleKey) => {
    const vehicle = registry.get(key, now());
    if (!vehicle) return { ok: false, reason: `no vehicle ${key}` };
    const linkId = vehicle.link.links[vehicle.link.links.length - 1];
    const reason = gs.unreachable(linkId);
    if (reason !== null || linkId === undefined) return { ok: false, reason: reason ?? "no link to the vehicle" };
    return { ok: true, vehicle, target: { linkId, sysid: vehicle.sysid, compid: vehicle.compid, vehicleClass: vehicle.vehicleClass } };
  };
}
