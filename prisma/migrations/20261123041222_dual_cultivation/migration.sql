-- CreateEnum
CREATE TYPE "TalentPathStage" AS ENUM ('APPLICANT', 'ACTIVIST', 'DEVELOPMENT_TARGET', 'PROBATIONARY');

-- CreateEnum
CREATE TYPE "MemberGrowthKind" AS ENUM ('TRAINING', 'PROJECT', 'INCOME');

-- CreateEnum
CREATE TYPE "HouseholdDifficulty" AS ENUM ('ILLNESS', 'DISABILITY', 'LACK_OF_LABOR', 'LACK_OF_SKILLS', 'DISASTER', 'EDUCATION', 'OTHER');

-- CreateEnum
CREATE TYPE "HelpPairingStatus" AS ENUM ('OPEN', 'CLOSED');

-- CreateTable
CREATE TABLE "Talent" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "gender" "Gender" NOT NULL,
    "trade" TEXT NOT NULL,
    "enterprise" TEXT,
    "village" TEXT NOT NULL,
    "phone" TEXT,
    "nationalId" TEXT,
    "organizationId" TEXT NOT NULL,
    "memberId" TEXT,
    "stage" "TalentPathStage",
    "stageSince" DATE,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Talent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TalentStageRecord" (
    "id" TEXT NOT NULL,
    "talentId" TEXT NOT NULL,
    "stage" "TalentPathStage" NOT NULL,
    "date" DATE NOT NULL,
    "cultivatorMemberId" TEXT,
    "note" TEXT,
    "organizationId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TalentStageRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberGrowthRecord" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "kind" "MemberGrowthKind" NOT NULL,
    "description" TEXT NOT NULL,
    "amount" DECIMAL(12,2),
    "date" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberGrowthRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DifficultHousehold" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "village" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "difficulty" "HouseholdDifficulty" NOT NULL,
    "organizationId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DifficultHousehold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HelpPairing" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "talentId" TEXT,
    "householdId" TEXT,
    "goals" TEXT NOT NULL,
    "status" "HelpPairingStatus" NOT NULL DEFAULT 'OPEN',
    "startedAt" DATE NOT NULL,
    "closedAt" DATE,
    "result" TEXT,
    "incomeChange" DECIMAL(12,2),
    "jobsCreated" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HelpPairing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HelpPairingVisit" (
    "id" TEXT NOT NULL,
    "pairingId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "content" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HelpPairingVisit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Talent_nationalId_key" ON "Talent"("nationalId");

-- CreateIndex
CREATE UNIQUE INDEX "Talent_memberId_key" ON "Talent"("memberId");

-- CreateIndex
CREATE INDEX "Talent_organizationId_idx" ON "Talent"("organizationId");

-- CreateIndex
CREATE INDEX "Talent_stage_stageSince_idx" ON "Talent"("stage", "stageSince");

-- CreateIndex
CREATE INDEX "TalentStageRecord_organizationId_date_idx" ON "TalentStageRecord"("organizationId", "date");

-- CreateIndex
CREATE INDEX "TalentStageRecord_cultivatorMemberId_idx" ON "TalentStageRecord"("cultivatorMemberId");

-- CreateIndex
CREATE UNIQUE INDEX "TalentStageRecord_talentId_stage_key" ON "TalentStageRecord"("talentId", "stage");

-- CreateIndex
CREATE INDEX "MemberGrowthRecord_memberId_idx" ON "MemberGrowthRecord"("memberId");

-- CreateIndex
CREATE INDEX "MemberGrowthRecord_organizationId_date_idx" ON "MemberGrowthRecord"("organizationId", "date");

-- CreateIndex
CREATE INDEX "DifficultHousehold_organizationId_idx" ON "DifficultHousehold"("organizationId");

-- CreateIndex
CREATE INDEX "HelpPairing_organizationId_status_idx" ON "HelpPairing"("organizationId", "status");

-- CreateIndex
CREATE INDEX "HelpPairing_memberId_idx" ON "HelpPairing"("memberId");

-- CreateIndex
CREATE INDEX "HelpPairing_talentId_idx" ON "HelpPairing"("talentId");

-- CreateIndex
CREATE INDEX "HelpPairing_householdId_idx" ON "HelpPairing"("householdId");

-- CreateIndex
CREATE INDEX "HelpPairingVisit_pairingId_date_idx" ON "HelpPairingVisit"("pairingId", "date");

-- AddForeignKey
ALTER TABLE "TalentStageRecord" ADD CONSTRAINT "TalentStageRecord_talentId_fkey" FOREIGN KEY ("talentId") REFERENCES "Talent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HelpPairing" ADD CONSTRAINT "HelpPairing_talentId_fkey" FOREIGN KEY ("talentId") REFERENCES "Talent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HelpPairing" ADD CONSTRAINT "HelpPairing_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "DifficultHousehold"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HelpPairingVisit" ADD CONSTRAINT "HelpPairingVisit_pairingId_fkey" FOREIGN KEY ("pairingId") REFERENCES "HelpPairing"("id") ON DELETE CASCADE ON UPDATE CASCADE;
