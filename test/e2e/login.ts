import type { ConsoleMessage, Page } from "playwright-core";
import type { Role } from "../../server/protocol";
import type { RunningServer } from "../../server/main";
import { createUser, TEST_PASSWORD } from "../helpers/server";

/** Creates the user (first time) in the server's store, then signs in through the Login page, as a person would. */
export async function loginThroughPage(page: Page, server: RunningServer, name: string, roles: Role[]): Promise<void> {
  if (!await server.users.findByName(name)) await createUser(server, name, roles);
  await page.goto(`http://127.0.0.1:${server.httpPort}/`);
  await page.getByTestId("login-name").waitFor({ timeout: 10_000 }).catch(async (e: unknown) => {
    throw new Error(`no login page: ${String(e)}\n${(await page.content()).slice(0, 2000)}`);
  });
  await page.getByTestId("login-name").fill(name);
  await page.getByTestId("login-password").fill(TEST_PASSWORD);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("current-user").waitFor();
}

/**
 * Chromium logs every 4xx response as a console error; the page's first GET /api/auth/me answering 401
 * before anyone signed in is expected (it is how the page learns to show the login form).
 */
export function signedOutProbe(m: ConsoleMessage): boolean {
  return m.location().url.endsWith("/api/auth/me") && m.text().includes("401");
}
