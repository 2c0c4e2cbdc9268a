-- CreateEnum
CREATE TYPE "DisciplineProblemCategory" AS ENUM ('POLITICAL', 'IDEOLOGICAL', 'ORGANIZATIONAL', 'CONDUCT', 'INTEGRITY', 'INSTITUTIONAL');

-- CreateEnum
CREATE TYPE "DisciplineResponsibilityKind" AS ENUM ('PRIMARY', 'DIRECT');

-- CreateEnum
CREATE TYPE "DisciplineRectificationStatus" AS ENUM ('OPEN', 'SUBMITTED', 'ACCEPTED', 'REOPENED');

-- CreateEnum
CREATE TYPE "DisciplineClueChannel" AS ENUM ('SUPERIOR', 'PEER', 'SUBORDINATE', 'PUBLIC');

-- CreateEnum
CREATE TYPE "DisciplineClueStatus" AS ENUM ('RECEIVED', 'UNDER_REVIEW', 'DISPOSED', 'CLOSED');

-- CreateEnum
CREATE TYPE "DisciplineDisposition" AS ENUM ('TALK_REMINDER', 'CRITICISM', 'ADMONISHMENT', 'PARTY_DISCIPLINE', 'CLOSED_NO_ACTION');

-- CreateTable
CREATE TABLE "DisciplineInspection" (
    "id" TEXT NOT NULL,
    "inspectedOrganizationId" TEXT NOT NULL,
    "inspectingOrganizationId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "scope" TEXT NOT NULL,
    "inspectors" TEXT[],
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DisciplineInspection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisciplineInspectionProblem" (
    "id" TEXT NOT NULL,
    "inspectionId" TEXT NOT NULL,
    "category" "DisciplineProblemCategory" NOT NULL,
    "description" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DisciplineInspectionProblem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisciplineProblemResponsibility" (
    "id" TEXT NOT NULL,
    "problemId" TEXT NOT NULL,
    "kind" "DisciplineResponsibilityKind" NOT NULL,
    "memberId" TEXT,
    "organizationId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DisciplineProblemResponsibility_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisciplineRectification" (
    "id" TEXT NOT NULL,
    "problemId" TEXT NOT NULL,
    "measure" TEXT NOT NULL,
    "deadline" DATE NOT NULL,
    "status" "DisciplineRectificationStatus" NOT NULL DEFAULT 'OPEN',
    "evidence" TEXT,
    "submittedAt" TIMESTAMP(3),
    "submittedBy" TEXT,
    "reviewComment" TEXT,
    "reviewedBy" TEXT,
    "acceptedAt" TIMESTAMP(3),
    "reopenCount" INTEGER NOT NULL DEFAULT 0,
    "overdueNotifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DisciplineRectification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisciplineClue" (
    "id" TEXT NOT NULL,
    "receivingOrganizationId" TEXT NOT NULL,
    "channel" "DisciplineClueChannel" NOT NULL,
    "reporterName" TEXT,
    "reporterContact" TEXT,
    "subjectMemberId" TEXT,
    "subjectOrganizationId" TEXT,
    "content" TEXT NOT NULL,
    "receivedAt" DATE NOT NULL,
    "status" "DisciplineClueStatus" NOT NULL DEFAULT 'RECEIVED',
    "disposition" "DisciplineDisposition",
    "decision" TEXT,
    "decidedAt" DATE,
    "deciderId" TEXT,
    "registeredBy" TEXT NOT NULL,
    "reviewStartedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DisciplineClue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisciplineClueAccessLog" (
    "id" TEXT NOT NULL,
    "clueId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fields" TEXT[],

    CONSTRAINT "DisciplineClueAccessLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DisciplineInspection_inspectedOrganizationId_date_idx" ON "DisciplineInspection"("inspectedOrganizationId", "date");

-- CreateIndex
CREATE INDEX "DisciplineInspection_inspectingOrganizationId_idx" ON "DisciplineInspection"("inspectingOrganizationId");

-- CreateIndex
CREATE INDEX "DisciplineInspectionProblem_inspectionId_idx" ON "DisciplineInspectionProblem"("inspectionId");

-- CreateIndex
CREATE INDEX "DisciplineInspectionProblem_category_idx" ON "DisciplineInspectionProblem"("category");

-- CreateIndex
CREATE INDEX "DisciplineProblemResponsibility_problemId_idx" ON "DisciplineProblemResponsibility"("problemId");

-- CreateIndex
CREATE INDEX "DisciplineProblemResponsibility_memberId_idx" ON "DisciplineProblemResponsibility"("memberId");

-- CreateIndex
CREATE INDEX "DisciplineProblemResponsibility_organizationId_idx" ON "DisciplineProblemResponsibility"("organizationId");

-- CreateIndex
CREATE INDEX "DisciplineRectification_problemId_idx" ON "DisciplineRectification"("problemId");

-- CreateIndex
CREATE INDEX "DisciplineRectification_status_deadline_idx" ON "DisciplineRectification"("status", "deadline");

-- CreateIndex
CREATE INDEX "DisciplineClue_receivingOrganizationId_receivedAt_idx" ON "DisciplineClue"("receivingOrganizationId", "receivedAt");

-- CreateIndex
CREATE INDEX "DisciplineClue_subjectMemberId_idx" ON "DisciplineClue"("subjectMemberId");

-- CreateIndex
CREATE INDEX "DisciplineClue_subjectOrganizationId_idx" ON "DisciplineClue"("subjectOrganizationId");

-- CreateIndex
CREATE INDEX "DisciplineClueAccessLog_clueId_at_idx" ON "DisciplineClueAccessLog"("clueId", "at");

-- CreateIndex
CREATE INDEX "DisciplineClueAccessLog_userId_idx" ON "DisciplineClueAccessLog"("userId");

-- AddForeignKey
ALTER TABLE "DisciplineInspectionProblem" ADD CONSTRAINT "DisciplineInspectionProblem_inspectionId_fkey" FOREIGN KEY ("inspectionId") REFERENCES "DisciplineInspection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DisciplineProblemResponsibility" ADD CONSTRAINT "DisciplineProblemResponsibility_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "DisciplineInspectionProblem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DisciplineRectification" ADD CONSTRAINT "DisciplineRectification_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "DisciplineInspectionProblem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DisciplineClueAccessLog" ADD CONSTRAINT "DisciplineClueAccessLog_clueId_fkey" FOREIGN KEY ("clueId") REFERENCES "DisciplineClue"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
