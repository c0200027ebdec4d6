import { useCallback, useEffect, useState, type FormEvent } from "react";
import { ROLES, type Role, type UserSummary } from "../../../../server/protocol";
import { describeApiError, useSession, type Api } from "../../access";
import { useAppStore } from "../../store";
import { RetentionSection } from "./RetentionSection";
import { ServerSection } from "./ServerSection";
import { UserRow } from "./UserRow";

function AddUserForm({ api, onDone }: { api: Api; onDone: (message: string) => void }) {
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [roles, setRoles] = useState<Role[]>(["observer"]);
  const [error, setError] = useState<string | null>(null);

  const toggle = (role: Role) => setRoles((r) => (r.includes(role) ? r.filter((x) => x !== role) : [...r, role]));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.createUser({ name: name.trim(), password, roles });
      setName("");
      setPassword("");
      onDone(`User ${name.trim()} added.`);
    } catch (err) {
      setError(describeApiError(err));
    }
  };

  return (
    <form className="admin__add" onSubmit={submit} aria-label="Add a user">
      <h3>Add a user</h3>
      <input data-testid="admin-add-name" placeholder="Name" value={name} onChange={(e) => setName(e.target.value)} required />
      <input
        data-testid="admin-add-password"
        type="password"
        placeholder="Password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
      />
      <span className="admin__roles">
        {ROLES.map((role) => (
          <label key={role}>
            <input type="checkbox" data-testid={`admin-add-role-${role}`} checked={roles.includes(role)} onChange={() => toggle(role)} /> {role}
          </label>
        ))}
      </span>
      <button className="btn btn--primary" type="submit" data-testid="admin-add-submit">
        Add
      </button>
      {error && (
        <p className="tone--danger" role="alert" data-testid="admin-add-error">
          {error}
        </p>
      )}
    </form>
  );
}

/**
 * Users (list, add, disable/enable, set roles, reset passwords) and evidence storage (retention, integrity).
 * Admin only (the server checks too).
 */
export function AdminPanel() {
  const session = useSession();
  const setView = useAppStore((s) => s.setView);
  const [users, setUsers] = useState<UserSummary[] | null>(null);
  const [message, setMessage] = useState<{ tone: "ok" | "danger"; text: string } | null>(null);
  const api = session?.api ?? null;

  const reload = useCallback(async () => {
    if (!api) return;
    try {
      setUsers(await api.listUsers());
    } catch (err) {
      setMessage({ tone: "danger", text: describeApiError(err) });
    }
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const done = (text: string) => {
    setMessage({ tone: "ok", text });
    void reload();
  };
  const failed = (err: unknown) => setMessage({ tone: "danger", text: describeApiError(err) });

  return (
    <aside className="admin" aria-label="Administration" data-testid="admin-panel">
      <header className="admin__head">
        <h2 className="panel-title">Users</h2>
        <span className="topbar__spacer" />
        <button className="btn btn--quiet" onClick={() => setView("map")} data-testid="admin-close">
          Close
        </button>
      </header>
      {message && (
        <p className={`admin__message tone--${message.tone}`} role="status" data-testid="admin-message">
          {message.text}
        </p>
      )}
      {api && <AddUserForm api={api} onDone={done} />}
      {users === null ? (
        <p className="empty">Loading users…</p>
      ) : (
        <table className="admin__table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Roles</th>
              <th>Status</th>
              <th>Created</th>
              <th>Last login</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => api && <UserRow key={u.name} user={u} api={api} onDone={done} onError={failed} />)}
          </tbody>
        </table>
      )}
      {api && <RetentionSection fetchFn={api.guardedFetch} />}
      {api && <ServerSection fetchFn={api.guardedFetch} />}
    </aside>
  );
}
