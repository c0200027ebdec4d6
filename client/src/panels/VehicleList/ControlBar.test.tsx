import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Role } from "../../../../server/protocol";
import { createSession, SessionProvider } from "../../access";
import { FetchTestDouble, jsonResponse, LiveTestDouble } from "../../test/access";
import { createAppStore, StoreProvider } from "../../store";
import { makeVehicle, snapshotOf, T0 } from "../../test/vehicles";
import { VehicleList } from "./VehicleList";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const BUTTONS = ["take-control-1-1", "release-control-1-1", "override-control-1-1"];

async function renderAs(name: string, roles: Role[], holder: string | null) {
  const store = createAppStore();
  const live = new LiveTestDouble();
  const http = new FetchTestDouble({ "POST /api/auth/login": () => jsonResponse(200, { user: { name, roles } }) });
  const session = createSession({ store, startLive: live.start, fetchFn: http.fetch, loadConfig: () => () => {} });
  await session.login(name, "secret");
  store.getState().applyEvents([
    {
      kind: "snapshot",
      snapshot: { ...snapshotOf([makeVehicle(1)]), control: holder ? { "1:1": { holder, since: T0 } } : {} },
      receivedAt: T0,
    },
  ]);
  render(
    <StoreProvider store={store}>
      <SessionProvider session={session}>
        <VehicleList />
      </SessionProvider>
    </StoreProvider>,
  );
  const shown = BUTTONS.filter((id) => screen.queryByTestId(id) !== null);
  return { store, live, session, shown };
}

describe("vehicle control by role", () => {
  it("an observer sees who holds the vehicle and no control at all", async () => {
    expect((await renderAs("olga", ["observer"], "pia")).shown).toEqual([]);
    expect(screen.getByTestId("control-holder-1-1").textContent).toBe("Control: pia");
    cleanup();
    expect((await renderAs("olga", ["observer", "reviewer"], null)).shown).toEqual([]);
    expect(screen.getByTestId("control-holder-1-1").textContent).toBe("No pilot in control");
  });

  it("a pilot may take a free vehicle, and release the one held", async () => {
    expect((await renderAs("pia", ["pilot"], null)).shown).toEqual(["take-control-1-1"]);
    cleanup();
    expect((await renderAs("pia", ["pilot"], "pia")).shown).toEqual(["release-control-1-1"]);
    cleanup();
    expect((await renderAs("pia", ["pilot"], "max")).shown).toEqual([]);
  });

  it("an admin may release another holder, after confirming; an admin who is a pilot may also take over", async () => {
    const { shown, session: adminSession } = await renderAs("ada", ["admin"], "pia");
    expect(shown).toEqual(["release-control-1-1"]);
    const released = vi.spyOn(adminSession, "request");
    const asked = vi.spyOn(window, "confirm").mockReturnValueOnce(true);
    await act(async () => fireEvent.click(screen.getByTestId("release-control-1-1")));
    expect(asked.mock.calls[0]?.[0]).toContain("held by pia");
    expect(released).toHaveBeenCalledWith("control:release", "1:1");
    cleanup();
    vi.restoreAllMocks();
    expect((await renderAs("ada", ["admin"], null)).shown).toEqual([]);
    cleanup();
    expect((await renderAs("ada", ["admin", "pilot"], "pia")).shown).toEqual(["release-control-1-1", "override-control-1-1"]);
    cleanup();

    const { session } = await renderAs("ada", ["admin", "pilot"], "pia");
    const request = vi.spyOn(session, "request");
    const confirm = vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    fireEvent.click(screen.getByTestId("override-control-1-1"));
    expect(confirm.mock.calls[0]?.[0]).toContain("from pia");
    expect(request).not.toHaveBeenCalled();
    await act(async () => fireEvent.click(screen.getByTestId("override-control-1-1")));
    expect(request).toHaveBeenCalledWith("control:override", "1:1");
  });

  it("shows the acknowledgement in words, and clicking a button does not select the card", async () => {
    const second = await renderAs("pia", ["pilot"], null);
    second.live.answer = { ok: false, error: { code: "held", message: "held by max" } };
    await act(async () => fireEvent.click(screen.getByTestId("take-control-1-1")));
    expect(second.live.requests).toEqual([{ action: "control:take", key: "1:1" }]);
    expect(screen.getByTestId("control-ack-1-1").textContent).toBe("Refused: held by another pilot");
    expect(second.store.getState().selectedKey).toBeNull();
  });
});
