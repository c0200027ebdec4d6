import type { Generated } from "kysely";

/** The tables of users, roles, sessions and logins (migrations 1, 2, 3 and 8) as the query builder sees them. */
export interface AuthTables {
  users: {
    id: Generated<number>;
    /** Unique without case (SQLite NOCASE, PostgreSQL citext). */
    name: string;
    password_hash: string;
    disabled: Generated<number>;
    created_at: string;
    password_changed_at: string;
    last_login_at: string | null;
  };
  user_roles: {
    user_id: number;
    role: string;
  };
  sessions: {
    id: Generated<number>;
    token_hash: string;
    user_id: number;
    created_at: number;
    last_seen_at: number;
    expires_at: number;
    address: string;
    user_agent: string;
  };
  login_attempts: {
    id: Generated<number>;
    at: number;
    name: string;
    address: string;
    pending: Generated<number>;
  };
  login_refusals: {
    name: string;
    address: string;
    unaudited: number;
    first_unaudited_at: number | null;
    last_at: number;
    audited_minute: number;
  };
}
