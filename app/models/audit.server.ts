import type { Db } from "~/utils/db.server";
import { db } from "~/utils/db.server";

type Tx = Pick<Db, "auditLog">;

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  detail?: Record<string, unknown>;
}

/** Records who did what; pass the transaction when the change runs in one, so both commit together. */
export async function audit(entry: AuditEntry, tx: Tx = db()) {
  await tx.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    },
  });
}

export async function listAudit(entityType: string, entityId: string, take = 50) {
  return db().auditLog.findMany({ where: { entityType, entityId }, orderBy: { createdAt: "desc" }, take });
}
