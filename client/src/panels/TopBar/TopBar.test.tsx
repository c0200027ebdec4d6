import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { LinkCounters, LinkStatus, Role } from "../../../../server/protocol";
import { createAppStore, StoreProvider } from "../../store";
import { SignatureAlert, TopBar } from "./TopBar";

afterEach(cleanup);

const ZERO: LinkCounters = {
  bytesIn: 0, bytesOut: 0, frames: 0, garbageBytes: 0, crcErrors: 0, unknownMessages: 0, decodeErrors: 0,
  droppedDatagrams: 0, signatureRejected: 0,
};

function link(id: string, signatureRejected: number): LinkStatus {
  return {
    id, url: `udpin://0.0.0.0:${id === "link1" ? 14550 : 14551}`, kind: "udpin", connection: "open", lastError: null, peers: 1,
    counters: { ...ZERO, signatureRejected },
  };
}

describe("signature alert in the top bar", () => {
  it("is hidden while no link rejected a packet, and sums every link's rejections from links:status", () => {
    const store = createAppStore();
    render(<StoreProvider store={store}><SignatureAlert /></StoreProvider>);
    expect(screen.queryByTestId("link-signature-alert")).toBeNull();

    act(() => store.getState().applyEvents([{ kind: "links", links: [link("link1", 0), link("link2", 0)], receivedAt: 1 }]));
    expect(screen.queryByTestId("link-signature-alert")).toBeNull();

    act(() => store.getState().applyEvents([{ kind: "links", links: [link("link1", 5), link("link2", 7)], receivedAt: 2 }]));
    const alert = screen.getByTestId("link-signature-alert");
    expect(alert.textContent).toBe("12 unsigned or forged packets rejected");
    expect(alert.getAttribute("title")).toMatch(/14550: 5 rejected\n.*14551: 7 rejected/);

    act(() => store.getState().applyEvents([{ kind: "links", links: [link("link1", 1)], receivedAt: 3 }]));
    expect(screen.getByTestId("link-signature-alert").textContent).toBe("1 unsigned or forged packet rejected");
  });
});

describe("incidents link in the top bar", () => {
  it("is shown to reviewers and admins only", () => {
    const shown = (roles: Role[]) => {
      const store = createAppStore();
      store.getState().signedIn({ name: "x", roles });
      render(<StoreProvider store={store}><TopBar /></StoreProvider>);
      const link = screen.queryByTestId("incidents-open");
      cleanup();
      return link?.getAttribute("href") ?? null;
    };
    expect(shown(["reviewer"])).toBe("/incidents");
    expect(shown(["admin"])).toBe("/incidents");
    expect(shown(["observer"])).toBeNull();
    expect(shown(["pilot"])).toBeNull();
  });
});
