import { useEffect, useState, type FormEvent } from "react";
import type { AuthStatus } from "../../../../server/protocol";
import { useSession } from "../../access";
import { useAppStore } from "../../store";

/** The first screen without a session: name and password, refusals in words, and how to create the first admin. */
export function LoginPage() {
  const session = useSession();
  const reason = useAppStore((s) => s.auth.reason);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<AuthStatus | null>(null);

  useEffect(() => {
    let live = true;
    session?.authStatus().then((s) => {
      if (live) setStatus(s);
    });
    return () => {
      live = false;
    };
  }, [session]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!session || busy) return;
    setBusy(true);
    setError(null);
    const outcome = await session.login(name.trim(), password);
    setBusy(false);
    if (!outcome.ok) setError(outcome.message);
  };

  return (
    <main className="login">
      <form className="login__form" onSubmit={submit} aria-label="Sign in">
        <h1 className="login__title">
          <span className="topbar__logo" aria-hidden="true">◆</span> Drone Unit — sign in
        </h1>
        {reason && (
          <p className="login__reason" role="status" data-testid="login-reason">
            Your session ended: {reason}
          </p>
        )}
        {status && !status.hasAdmin && (
          <div className="login__setup" data-testid="login-no-admin">
            <strong>No administrator exists yet.</strong>
            <p>{status.howToCreateAdmin}</p>
          </div>
        )}
        <label className="field">
          <span>Name</span>
          <input data-testid="login-name" autoComplete="username" autoFocus value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p className="login__error tone--danger" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button className="btn btn--primary" type="submit" data-testid="login-submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
