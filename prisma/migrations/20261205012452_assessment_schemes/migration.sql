-- CreateEnum
CREATE TYPE "AssessmentSchemeState" AS ENUM ('DRAFT', 'PUBLISHED');

-- CreateEnum
CREATE TYPE "AssessmentCategory" AS ENUM ('PARTY', 'BUSINESS', 'INTEGRATED');

-- CreateEnum
CREATE TYPE "AssessmentItemSource" AS ENUM ('INDICATOR', 'MANUAL', 'TASKS');

-- CreateEnum
CREATE TYPE "AssessmentRuleKind" AS ENUM ('PROPORTIONAL', 'STEPPED', 'DEDUCTION', 'VETO');

-- CreateEnum
CREATE TYPE "AssessmentTaskState" AS ENUM ('ASSIGNED', 'REPORTED', 'ACCEPTED', 'RETURNED');

-- CreateTable
CREATE TABLE "AssessmentScheme" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "totalPoints" DECIMAL(8,2) NOT NULL,
    "kinds" "OrganizationKind"[],
    "state" "AssessmentSchemeState" NOT NULL DEFAULT 'DRAFT',
    "publishedAt" TIMESTAMP(3),
    "publishedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AssessmentScheme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssessmentItem" (
    "id" TEXT NOT NULL,
    "schemeId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "category" "AssessmentCategory" NOT NULL,
    "name" TEXT NOT NULL,
    "maxPoints" DECIMAL(8,2) NOT NULL,
    "source" "AssessmentItemSource" NOT NULL,
    "indicatorId" TEXT,
    "rule" "AssessmentRuleKind" NOT NULL,
    "target" DECIMAL(12,2),
    "steps" JSONB,
    "perOccurrence" DECIMAL(8,2),
    "floor" DECIMAL(8,2),
    "threshold" DECIMAL(12,2),
    "cap" DECIMAL(8,2),

    CONSTRAINT "AssessmentItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssessmentManualScore" (
    "id" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "value" DECIMAL(12,2) NOT NULL,
    "reason" TEXT NOT NULL,
    "evidence" TEXT,
    "scoredBy" TEXT NOT NULL,
    "scoredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssessmentManualScore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssessmentTask" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "schemeId" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "deadline" DATE NOT NULL,
    "points" DECIMAL(8,2) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssessmentTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssessmentTaskAssignment" (
    "id" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "state" "AssessmentTaskState" NOT NULL DEFAULT 'ASSIGNED',
    "account" TEXT,
    "reportedAt" TIMESTAMP(3),
    "reportedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decidedBy" TEXT,
    "returnReason" TEXT,

    CONSTRAINT "AssessmentTaskAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssessmentScorecard" (
    "id" TEXT NOT NULL,
    "schemeId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "items" JSONB NOT NULL,
    "total" DECIMAL(8,2) NOT NULL,
    "maxPoints" DECIMAL(8,2) NOT NULL,
    "rank" INTEGER NOT NULL,
    "siblingRank" INTEGER NOT NULL,
    "vetoed" BOOLEAN NOT NULL,
    "hash" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AssessmentScorecard_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AssessmentScheme_organizationId_year_idx" ON "AssessmentScheme"("organizationId", "year");

-- CreateIndex
CREATE UNIQUE INDEX "AssessmentScheme_organizationId_year_name_key" ON "AssessmentScheme"("organizationId", "year", "name");

-- CreateIndex
CREATE UNIQUE INDEX "AssessmentItem_schemeId_position_key" ON "AssessmentItem"("schemeId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "AssessmentManualScore_itemId_organizationId_key" ON "AssessmentManualScore"("itemId", "organizationId");

-- CreateIndex
CREATE INDEX "AssessmentTask_organizationId_deadline_idx" ON "AssessmentTask"("organizationId", "deadline");

-- CreateIndex
CREATE INDEX "AssessmentTask_schemeId_idx" ON "AssessmentTask"("schemeId");

-- CreateIndex
CREATE INDEX "AssessmentTaskAssignment_organizationId_idx" ON "AssessmentTaskAssignment"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "AssessmentTaskAssignment_taskId_organizationId_key" ON "AssessmentTaskAssignment"("taskId", "organizationId");

-- CreateIndex
CREATE INDEX "AssessmentScorecard_schemeId_total_idx" ON "AssessmentScorecard"("schemeId", "total");

-- CreateIndex
CREATE UNIQUE INDEX "AssessmentScorecard_schemeId_organizationId_key" ON "AssessmentScorecard"("schemeId", "organizationId");

-- AddForeignKey
ALTER TABLE "AssessmentScheme" ADD CONSTRAINT "AssessmentScheme_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentItem" ADD CONSTRAINT "AssessmentItem_schemeId_fkey" FOREIGN KEY ("schemeId") REFERENCES "AssessmentScheme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentManualScore" ADD CONSTRAINT "AssessmentManualScore_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "AssessmentItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentManualScore" ADD CONSTRAINT "AssessmentManualScore_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentTask" ADD CONSTRAINT "AssessmentTask_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentTask" ADD CONSTRAINT "AssessmentTask_schemeId_fkey" FOREIGN KEY ("schemeId") REFERENCES "AssessmentScheme"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentTaskAssignment" ADD CONSTRAINT "AssessmentTaskAssignment_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "AssessmentTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentTaskAssignment" ADD CONSTRAINT "AssessmentTaskAssignment_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentScorecard" ADD CONSTRAINT "AssessmentScorecard_schemeId_fkey" FOREIGN KEY ("schemeId") REFERENCES "AssessmentScheme"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssessmentScorecard" ADD CONSTRAINT "AssessmentScorecard_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
