export const ROLES = ["contestant", "organizer", "judge", "commune_officer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: readonly Role[] = ["organizer", "judge", "commune_officer", "admin"];

export const GROUPS = ["official", "citizen", "student", "business"] as const;
export type Group = (typeof GROUPS)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);
/** Organizers, judges, commune officers and administrators may not compete. */
export const mayCompete = (role: Role): boolean => role === "contestant";
