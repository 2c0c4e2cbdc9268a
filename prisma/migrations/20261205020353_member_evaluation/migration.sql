-- CreateEnum
CREATE TYPE "EvaluationGrade" AS ENUM ('EXCELLENT', 'QUALIFIED', 'BASICALLY_QUALIFIED', 'UNQUALIFIED');

-- CreateEnum
CREATE TYPE "EvaluationFollowUp" AS ENUM ('RECTIFY', 'PERSUADE_TO_LEAVE', 'REMOVE');

-- CreateTable
CREATE TABLE "BranchEvaluation" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "date" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BranchEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberGrade" (
    "id" TEXT NOT NULL,
    "evaluationId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "grade" "EvaluationGrade" NOT NULL,
    "followUp" "EvaluationFollowUp",
    "followUpDate" DATE,
    "followUpNote" TEXT,

    CONSTRAINT "MemberGrade_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BranchEvaluation_year_idx" ON "BranchEvaluation"("year");

-- CreateIndex
CREATE UNIQUE INDEX "BranchEvaluation_organizationId_year_key" ON "BranchEvaluation"("organizationId", "year");

-- CreateIndex
CREATE INDEX "MemberGrade_memberId_idx" ON "MemberGrade"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "MemberGrade_evaluationId_memberId_key" ON "MemberGrade"("evaluationId", "memberId");

-- AddForeignKey
ALTER TABLE "BranchEvaluation" ADD CONSTRAINT "BranchEvaluation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberGrade" ADD CONSTRAINT "MemberGrade_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "BranchEvaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberGrade" ADD CONSTRAINT "MemberGrade_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
