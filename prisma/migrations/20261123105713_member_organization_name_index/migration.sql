-- DropIndex
DROP INDEX "Member_organizationId_idx";

-- CreateIndex
CREATE INDEX "Member_organizationId_name_id_idx" ON "Member"("organizationId", "name", "id");
