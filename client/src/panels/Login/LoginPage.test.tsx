import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createSession, SessionProvider } from "../../access";
import { FetchTestDouble, jsonResponse, LiveTestDouble } from "../../test/access";
import { createAppStore, StoreProvider, type AppStore } from "../../store";
import { LoginPage } from "./LoginPage";

afterEach(cleanup);

function renderLogin(routes: ConstructorParameters<typeof FetchTestDouble>[0], store: AppStore = createAppStore()) {
  const http = new FetchTestDouble({ "GET /api/auth/status": () => jsonResponse(200, { hasAdmin: true, howToCreateAdmin: "" }), ...routes });
  const session = createSession({ store, startLive: new LiveTestDouble().start, fetchFn: http.fetch, loadConfig: () => () => {} });
  render(
    <StoreProvider store={store}>
      <SessionProvider session={session}>
        <LoginPage />
      </SessionProvider>
    </StoreProvider>,
  );
  return { store, http };
}

function submit(name: string, password: string) {
  fireEvent.change(screen.getByTestId("login-name"), { target: { value: name } });
  fireEvent.change(screen.getByTestId("login-password"), { target: { value: password } });
  fireEvent.click(screen.getByTestId("login-submit"));
}

describe("LoginPage", () => {
  it("signs in", async () => {
    const { store, http } = renderLogin({ "POST /api/auth/login": () => jsonResponse(200, { user: { name: "ada", roles: ["admin"] } }) });
    submit("ada", "secret");
    await waitFor(() => expect(store.getState().auth.status).toBe("signed_in"));
    expect(http.calls).toContain("POST /api/auth/login");
  });

  it.each([
    [jsonResponse(401, { error: { code: "bad_credentials", message: "bad" } }), "Wrong name or password."],
    [jsonResponse(429, { error: { code: "rate_limited", message: "slow" } }, { "retry-after": "120" }), "Too many attempts — try again in 2 min."],
    [jsonResponse(403, { error: { code: "account_disabled", message: "disabled" } }), "This account is disabled. Ask an administrator."],
  ])("says why a login was refused (%#)", async (response, words) => {
    renderLogin({ "POST /api/auth/login": () => response.clone() });
    submit("ada", "nope");
    expect((await screen.findByTestId("login-error")).textContent).toBe(words);
  });

  it("says how to create the first admin when there is none", async () => {
    renderLogin({ "GET /api/auth/status": () => jsonResponse(200, { hasAdmin: false, howToCreateAdmin: "npm run user -- add NAME --role admin" }) });
    expect((await screen.findByTestId("login-no-admin")).textContent).toContain("npm run user -- add NAME --role admin");
  });

  it("shows why the session ended", () => {
    const store = createAppStore();
    store.getState().signedOut("user disabled");
    renderLogin({}, store);
    expect(screen.getByTestId("login-reason").textContent).toBe("Your session ended: user disabled");
  });
});
