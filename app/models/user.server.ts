import type { Registration, LoginIdentifier } from "~/domain/registration";
import { isRole, type Role } from "~/domain/roles";
import { db, isUniqueViolation } from "~/utils/db.server";
import { dummyHash, hashPassword, verifyPassword } from "~/utils/password.server";

/** What the app may show about the signed-in user (and what /api/v1/me returns). */
export interface PublicUser {
  id: string;
  fullName: string;
  role: Role;
  communeCode: string | null;
  group: string | null;
}

const publicSelect = { id: true, fullName: true, role: true, communeCode: true, group: true } as const;

function toPublic(u: { id: string; fullName: string; role: string; communeCode: string | null; group: string | null }): PublicUser {
  return { ...u, role: isRole(u.role) ? u.role : "contestant" };
}

export type DuplicateField = "nationalId" | "phone" | "email";

export class DuplicateIdentityError extends Error {
  constructor(readonly fields: DuplicateField[]) {
    super(`duplicate identity: ${fields.join(", ")}`);
  }
}

async function duplicates(values: { nationalId?: string; phone?: string; email?: string }): Promise<DuplicateField[]> {
  const or = Object.entries(values)
    .filter(([, v]) => v)
    .map(([k, v]) => ({ [k]: v }));
  if (or.length === 0) return [];
  const found = await db().user.findMany({ where: { OR: or }, select: { nationalId: true, phone: true, email: true } });
  return (["nationalId", "phone", "email"] as const).filter((k) => values[k] && found.some((u) => u[k] === values[k]));
}


export async function createContestant(r: Registration, source: { ip?: string | null; deviceId?: string | null } = {}): Promise<PublicUser> {
  const dup = await duplicates({ nationalId: r.nationalId, phone: r.phone, email: r.email });
  if (dup.length) throw new DuplicateIdentityError(dup);
  const passwordHash = await hashPassword(r.password);
  try {
    const user = await db().user.create({
      data: {
        role: "contestant",
        fullName: r.fullName,
        nationalId: r.nationalId,
        phone: r.phone,
        email: r.email ?? null,
        birthDate: r.birthDate,
        gender: r.gender,
        communeCode: r.communeCode,
        group: r.group,
        workplace: r.workplace ?? null,
        passwordHash,
        registrationIp: source.ip ?? null,
        registrationDevice: source.deviceId?.slice(0, 100) || null,
      },
      select: publicSelect,
    });
    return toPublic(user);
  } catch (e) {
    // Two registrations racing past the check above: the unique index decides.
    if (isUniqueViolation(e)) throw new DuplicateIdentityError(await duplicates(r));
    throw e;
  }
}

export interface StaffInput {
  role: Exclude<Role, "contestant">;
  email: string;
  password: string;
  fullName: string;
  communeCode?: string;
}

/** Creates a staff account, or resets the password and details of the one with this e-mail. */
export async function upsertStaff(s: StaffInput): Promise<{ user: PublicUser; created: boolean }> {
  const passwordHash = await hashPassword(s.password);
  const email = s.email.trim().toLowerCase();
  const data = { role: s.role, fullName: s.fullName, communeCode: s.communeCode ?? null, passwordHash };
  const existing = await db().user.findUnique({ where: { email }, select: { id: true } });
  const user = existing
    ? await db().user.update({ where: { email }, data, select: publicSelect })
    : await db().user.create({ data: { ...data, email }, select: publicSelect });
  if (existing) await db().session.deleteMany({ where: { userId: user.id } });
  return { user: toPublic(user), created: !existing };
}

/** Checks a password against the account an identifier names; null for any failure (no hint which). */
export async function verifyLogin(identifier: LoginIdentifier | null, password: string): Promise<PublicUser | null> {
  const user = identifier
    ? await db().user.findUnique({
        where: { [identifier.kind]: identifier.value } as { phone: string },
        select: { ...publicSelect, passwordHash: true },
      })
    : null;
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !ok) return null;
  const { passwordHash: _hash, ...rest } = user;
  return toPublic(rest);
}

export async function getPublicUser(id: string): Promise<PublicUser | null> {
  const u = await db().user.findUnique({ where: { id }, select: publicSelect });
  return u ? toPublic(u) : null;
}

/** The account page: the user's own record, personal data included (only ever for that user). */
export async function getOwnProfile(userId: string) {
  return db().user.findUnique({
    where: { id: userId },
    select: {
      ...publicSelect,
      nationalId: true,
      phone: true,
      email: true,
      birthDate: true,
      gender: true,
      workplace: true,
      commune: { select: { name: true, type: true } },
    },
  });
}

/** The identifier the login rate limit counts this account under (see `loginKey`), or null. */
export async function loginIdentifierOf(userId: string): Promise<string | null> {
  const u = await db().user.findUnique({ where: { id: userId }, select: { phone: true, email: true, nationalId: true } });
  return u ? (u.phone ?? u.email ?? u.nationalId ?? null) : null;
}

/**
 * The signed-in user changes their own password: the current one must match. Returns false (and
 * changes nothing) when it does not. Revoking sessions is the caller's (session.server.ts).
 */
export async function changePassword(userId: string, currentPassword: string, newPassword: string): Promise<boolean> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  const ok = await verifyPassword(currentPassword, user?.passwordHash ?? (await dummyHash()));
  if (!user || !ok) return false;
  await db().user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(newPassword) } });
  return true;
}

/**
 * Sets the password of the account with this e-mail, phone or CCCD (the command line's reset) and
 * ends every session of that account. Null when there is no such account.
 */
export async function resetPassword(identifier: LoginIdentifier, password: string): Promise<(PublicUser & { sessionsEnded: number }) | null> {
  const where = { [identifier.kind]: identifier.value } as { phone: string };
  const existing = await db().user.findUnique({ where, select: { id: true } });
  if (!existing) return null;
  const passwordHash = await hashPassword(password);
  const [user, ended] = await db().$transaction([
    db().user.update({ where: { id: existing.id }, data: { passwordHash }, select: publicSelect }),
    db().session.deleteMany({ where: { userId: existing.id } }),
  ]);
  return { ...toPublic(user), sessionsEnded: ended.count };
}
