import { Fragment, useMemo } from "react";
import { Circle, Marker, Polygon, Polyline } from "react-leaflet";
import type { FenceCircle, FencePolygon, LatLon } from "../../../../server/protocol";
import { edgeMidpoints, fenceColour } from "./layerModel";
import { useMissionEditor } from "./MissionEditorContext";
import { vertexIcon } from "./missionIcons";
import { useMarkerHandlers } from "./useMarkerHandlers";

const ll = (p: LatLon): [number, number] => [p.lat, p.lon];

function Handle({ at, testId, inclusion, kind, drop, click, remove }: {
  at: LatLon;
  testId: string;
  inclusion: boolean;
  kind: "corner" | "edge" | "centre";
  drop: (at: LatLon) => void;
  click?: () => void;
  remove?: () => void;
}) {
  const icon = useMemo(() => vertexIcon(testId, inclusion, kind), [testId, inclusion, kind]);
  const eventHandlers = useMarkerHandlers({ drop, click, remove });
  return <Marker position={ll(at)} icon={icon} draggable eventHandlers={eventHandlers} keyboard={false} zIndexOffset={kind === "edge" ? 500 : 600} />;
}

function PolygonEditor({ polygon, index }: { polygon: FencePolygon; index: number }) {
  const { dispatch } = useMissionEditor();
  return (
    <>
      {polygon.points.map((p, v) => (
        <Handle
          key={`c${v}`}
          at={p}
          testId={`fence-vertex-${index + 1}-${v + 1}`}
          inclusion={polygon.inclusion}
          kind="corner"
          drop={(at) => dispatch({ type: "moveVertex", polygon: index, vertex: v, ...at })}
          remove={() => dispatch({ type: "deleteVertex", polygon: index, vertex: v })}
        />
      ))}
      {edgeMidpoints(polygon.points).map(({ after, at }) => (
        <Handle
          key={`e${after}`}
          at={at}
          testId={`fence-edge-${index + 1}-${after + 1}`}
          inclusion={polygon.inclusion}
          kind="edge"
          drop={(to) => dispatch({ type: "insertVertex", polygon: index, after, ...to })}
          click={() => dispatch({ type: "insertVertex", polygon: index, after, ...at })}
        />
      ))}
    </>
  );
}

function CircleEditor({ circle, index }: { circle: FenceCircle; index: number }) {
  const { dispatch } = useMissionEditor();
  return (
    <Handle
      at={circle.center}
      testId={`fence-circle-centre-${index + 1}`}
      inclusion={circle.inclusion}
      kind="centre"
      drop={(center) => dispatch({ type: "moveCircle", circle: index, center })}
      remove={() => dispatch({ type: "deleteCircle", circle: index })}
    />
  );
}

/** Fence zones (green: stay inside, red: stay out), their handles in the fence tools, and the polygon being drawn. */
export function FenceLayer() {
  const { state } = useMissionEditor();
  const { polygons, circles } = state.draft.fence;
  const { mode, pending, inclusion } = state;
  return (
    <>
      {polygons.map((p, i) => (
        <Fragment key={`p${i}`}>
          <Polygon positions={p.points.map(ll)} interactive={false} pathOptions={{ color: fenceColour(p.inclusion), weight: 2, fillOpacity: p.inclusion ? 0.04 : 0.15 }} />
          {mode === "polygon" && <PolygonEditor polygon={p} index={i} />}
        </Fragment>
      ))}
      {circles.map((c, i) => (
        <Fragment key={`c${i}`}>
          <Circle center={ll(c.center)} radius={c.radius} interactive={false} pathOptions={{ color: fenceColour(c.inclusion), weight: 2, fillOpacity: c.inclusion ? 0.04 : 0.15 }} />
          {mode === "circle" && <CircleEditor circle={c} index={i} />}
        </Fragment>
      ))}
      {pending.length > 0 && (
        <Polyline positions={pending.map(ll)} interactive={false} pathOptions={{ color: fenceColour(inclusion), weight: 2, dashArray: "4 6" }} />
      )}
    </>
  );
}
