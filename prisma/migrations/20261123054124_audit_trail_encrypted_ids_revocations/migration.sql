/*
  Warnings:

  - A unique constraint covering the columns `[nationalIdHash]` on the table `Member` will be added. If there are existing duplicate values, this will fail.

*/
-- DropIndex
DROP INDEX "Member_nationalId_key";

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "nationalIdHash" TEXT;

-- CreateTable
CREATE TABLE "AuditRecord" (
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "userId" TEXT,
    "organizationId" TEXT,
    "operation" TEXT NOT NULL,
    "target" TEXT,
    "result" TEXT NOT NULL,
    "clientAddress" TEXT,
    "requestId" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditRecord_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "SessionRevocation" (
    "userId" TEXT NOT NULL,
    "revokedBefore" TIMESTAMP(3) NOT NULL,
    "revokedBy" TEXT,
    "reason" TEXT,

    CONSTRAINT "SessionRevocation_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "AuditRecord_at_idx" ON "AuditRecord"("at");

-- CreateIndex
CREATE INDEX "AuditRecord_userId_idx" ON "AuditRecord"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Member_nationalIdHash_key" ON "Member"("nationalIdHash");

-- 安全审计: the audit trail is append-only whoever connects. Prisma does not model triggers, so the guarantee
-- lives here: any UPDATE, DELETE or TRUNCATE of "AuditRecord" fails. (The hash chain makes any change made
-- around this — by a superuser disabling the trigger — detectable with `dangjian audit verify`.)
CREATE FUNCTION "audit_record_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditRecord is append-only: % refused', TG_OP;
END
$$;

CREATE TRIGGER "AuditRecord_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "AuditRecord"
  FOR EACH ROW EXECUTE FUNCTION "audit_record_append_only"();

CREATE TRIGGER "AuditRecord_no_truncate"
  BEFORE TRUNCATE ON "AuditRecord"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_record_append_only"();
