import { z } from "zod";
import type { Role } from "../protocol";
import { ROLES } from "../protocol";

/** User names: 1..64 of a-z 0-9 . _ -, compared without case (stored lower-case). */
export const userNameSchema = z.string().trim().toLowerCase()
  .pipe(z.string().min(1, "user name is empty").max(64, "user name is longer than 64 characters")
    .regex(/^[a-z0-9._-]+$/, "user name may contain only letters a-z, digits and . _ -"));

/** The known roles among `have`, each once, in the order ROLES gives (stored rows, typed lists). */
export function rolesIn(have: readonly string[]): Role[] {
  return ROLES.filter((r) => have.includes(r));
}

export const rolesSchema = z.array(z.enum(ROLES as [Role, ...Role[]], {
  errorMap: () => ({ message: `role must be one of ${ROLES.join(", ")}` }),
})).min(1, "give at least one role").transform(rolesIn);
