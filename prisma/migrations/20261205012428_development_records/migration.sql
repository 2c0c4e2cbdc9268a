-- CreateEnum
CREATE TYPE "DevelopmentState" AS ENUM ('ACTIVE', 'COMPLETED', 'ENDED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "DevelopmentEntryKind" AS ENUM ('STEP', 'EXTENSION', 'CANCELLATION', 'ENDING');

-- CreateTable
CREATE TABLE "DevelopmentRecord" (
    "id" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "name" TEXT NOT NULL,
    "gender" "Gender" NOT NULL,
    "birthDate" DATE NOT NULL,
    "nationalId" TEXT NOT NULL,
    "nationalIdHash" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "state" "DevelopmentState" NOT NULL DEFAULT 'ACTIVE',
    "step" INTEGER NOT NULL,
    "stepDate" DATE NOT NULL,
    "appliedAt" DATE NOT NULL,
    "memberId" TEXT,
    "probationEndsAt" DATE,
    "extendedMonths" INTEGER,
    "endedAt" DATE,
    "endReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DevelopmentRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DevelopmentEntry" (
    "id" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "kind" "DevelopmentEntryKind" NOT NULL DEFAULT 'STEP',
    "step" INTEGER NOT NULL,
    "date" DATE NOT NULL,
    "account" TEXT NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "votesEntitled" INTEGER,
    "votesPresent" INTEGER,
    "votesFor" INTEGER,
    "trainingDays" INTEGER,
    "trainingHours" INTEGER,
    "noticeFrom" DATE,
    "noticeTo" DATE,
    "months" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DevelopmentEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DevelopmentPerson" (
    "id" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "memberId" TEXT,
    "externalName" TEXT,
    "externalReason" TEXT,

    CONSTRAINT "DevelopmentPerson_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DevelopmentRecord_memberId_key" ON "DevelopmentRecord"("memberId");

-- CreateIndex
CREATE INDEX "DevelopmentRecord_organizationId_state_step_idx" ON "DevelopmentRecord"("organizationId", "state", "step");

-- CreateIndex
CREATE INDEX "DevelopmentRecord_nationalIdHash_idx" ON "DevelopmentRecord"("nationalIdHash");

-- CreateIndex
CREATE INDEX "DevelopmentEntry_recordId_date_idx" ON "DevelopmentEntry"("recordId", "date");

-- CreateIndex
CREATE INDEX "DevelopmentEntry_kind_step_date_idx" ON "DevelopmentEntry"("kind", "step", "date");

-- CreateIndex
CREATE INDEX "DevelopmentPerson_entryId_position_idx" ON "DevelopmentPerson"("entryId", "position");

-- CreateIndex
CREATE INDEX "DevelopmentPerson_memberId_idx" ON "DevelopmentPerson"("memberId");

-- AddForeignKey
ALTER TABLE "DevelopmentRecord" ADD CONSTRAINT "DevelopmentRecord_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DevelopmentRecord" ADD CONSTRAINT "DevelopmentRecord_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DevelopmentEntry" ADD CONSTRAINT "DevelopmentEntry_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "DevelopmentRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DevelopmentPerson" ADD CONSTRAINT "DevelopmentPerson_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "DevelopmentEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DevelopmentPerson" ADD CONSTRAINT "DevelopmentPerson_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
