import { CommandButton, type SectionProps } from "./CommandButton";

/** The mission already on the vehicle (uploaded with the mission panel): start, pause, resume. */
export function MissionControls({ vehicle, av, isPending, onCommand }: SectionProps) {
  const m = vehicle.mission;
  return (
    <section className="cmd-section" aria-label="Mission">
      <h3 className="cmd-section__title">
        Mission
        {m && <span className="cmd-section__info">item {m.current}{m.total !== null ? ` of ${m.total}` : ""}{m.state ? ` · ${m.state.replace("_", " ")}` : ""}</span>}
      </h3>
      <div className="cmd-row cmd-row--fill">
        <CommandButton label="Start mission" availability={av.missionStart} pending={isPending("missionStart")} onClick={() => onCommand({ kind: "missionStart" })} />
        <CommandButton label="Pause mission" availability={av.missionPause} pending={isPending("missionPause")} onClick={() => onCommand({ kind: "missionPause" })} />
        <CommandButton label="Resume mission" availability={av.missionResume} pending={isPending("missionResume")} onClick={() => onCommand({ kind: "missionResume" })} />
      </div>
    </section>
  );
}
