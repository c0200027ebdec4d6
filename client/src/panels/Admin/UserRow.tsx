import { useState } from "react";
import { ROLES, type Role, type UserSummary } from "../../../../server/protocol";
import type { Api } from "../../access";

function formatTime(iso: string | null): string {
  if (!iso) return "never";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export interface UserRowProps {
  user: UserSummary;
  api: Api;
  onDone: (message: string) => void;
  onError: (error: unknown) => void;
}

/** One user: roles as checkboxes (saved on change), disable/enable, reset password. */
export function UserRow({ user: u, api, onDone, onError }: UserRowProps) {
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState("");
  const run = async (work: () => Promise<unknown>, message: string) => {
    try {
      await work();
      onDone(message);
    } catch (err) {
      onError(err);
    }
  };
  const toggleRole = (role: Role) => {
    const roles = u.roles.includes(role) ? u.roles.filter((r) => r !== role) : [...u.roles, role];
    void run(() => api.updateUser(u.name, { roles }), `Roles of ${u.name}: ${roles.join(", ") || "none"}.`);
  };

  return (
    <tr data-testid={`admin-user-row-${u.name}`} className={u.disabled ? "admin__row--disabled" : undefined}>
      <td>{u.name}</td>
      <td>
        {ROLES.map((role) => (
          <label key={role} className="admin__role">
            <input type="checkbox" data-testid={`admin-role-${u.name}-${role}`} checked={u.roles.includes(role)} onChange={() => toggleRole(role)} /> {role}
          </label>
        ))}
      </td>
      <td>{u.disabled ? "disabled" : "active"}</td>
      <td>{formatTime(u.createdAt)}</td>
      <td>{formatTime(u.lastLoginAt)}</td>
      <td className="admin__actions">
        <button
          className="btn btn--small"
          data-testid={`admin-toggle-disabled-${u.name}`}
          onClick={() => void run(() => api.updateUser(u.name, { disabled: !u.disabled }), `${u.name} ${u.disabled ? "enabled" : "disabled"}.`)}
        >
          {u.disabled ? "Enable" : "Disable"}
        </button>
        {resetting ? (
          <form
            className="admin__reset"
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => api.resetPassword(u.name, password), `Password of ${u.name} reset.`).then(() => {
                setResetting(false);
                setPassword("");
              });
            }}
          >
            <input
              type="password"
              placeholder="New password"
              autoComplete="new-password"
              data-testid={`admin-reset-password-${u.name}`}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
            <button className="btn btn--small" type="submit">
              Set
            </button>
          </form>
        ) : (
          <button className="btn btn--small" data-testid={`admin-reset-${u.name}`} onClick={() => setResetting(true)}>
            Reset password
          </button>
        )}
      </td>
    </tr>
  );
}
