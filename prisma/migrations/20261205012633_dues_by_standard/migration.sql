-- CreateEnum
CREATE TYPE "DuesCategory" AS ENUM ('EMPLOYED', 'RETIRED', 'ANNUAL_SALARY', 'FARMER', 'STUDENT', 'UNEMPLOYED', 'SUBSISTENCE');

-- CreateEnum
CREATE TYPE "DuesMethod" AS ENUM ('CASH', 'TRANSFER', 'ONLINE', 'UNKNOWN');

-- DropIndex
DROP INDEX "DuesPayment_memberId_month_key";

-- AlterTable
ALTER TABLE "DuesPayment" ADD COLUMN     "remittanceId" TEXT;

-- CreateTable
CREATE TABLE "DuesBase" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "category" "DuesCategory" NOT NULL,
    "baseFen" INTEGER,
    "fixedFen" INTEGER,
    "effectiveFrom" DATE NOT NULL,
    "note" TEXT,
    "actorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DuesBase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DuesReduction" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "fromMonth" DATE NOT NULL,
    "toMonth" DATE NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "decisionNumber" TEXT NOT NULL,
    "approvedById" TEXT NOT NULL,
    "approvedAt" DATE NOT NULL,
    "actorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DuesReduction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DuesRemittance" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "totalFen" INTEGER NOT NULL,
    "method" "DuesMethod" NOT NULL,
    "payerName" TEXT,
    "paidAt" TIMESTAMP(3) NOT NULL,
    "note" TEXT,
    "actorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DuesRemittance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DuesMonthState" (
    "memberId" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "standardFen" INTEGER,
    "paidFen" INTEGER NOT NULL,
    "settled" BOOLEAN NOT NULL,

    CONSTRAINT "DuesMonthState_pkey" PRIMARY KEY ("memberId","month")
);

-- CreateTable
CREATE TABLE "DuesSetting" (
    "organizationId" TEXT NOT NULL,
    "dueDay" INTEGER,
    "retainPercent" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT,

    CONSTRAINT "DuesSetting_pkey" PRIMARY KEY ("organizationId")
);

-- CreateIndex
CREATE UNIQUE INDEX "DuesBase_memberId_effectiveFrom_key" ON "DuesBase"("memberId", "effectiveFrom");

-- CreateIndex
CREATE INDEX "DuesReduction_memberId_fromMonth_idx" ON "DuesReduction"("memberId", "fromMonth");

-- CreateIndex
CREATE INDEX "DuesRemittance_memberId_idx" ON "DuesRemittance"("memberId");

-- CreateIndex
CREATE INDEX "DuesPayment_memberId_month_idx" ON "DuesPayment"("memberId", "month");

-- CreateIndex
CREATE INDEX "DuesPayment_remittanceId_idx" ON "DuesPayment"("remittanceId");

-- AddForeignKey
ALTER TABLE "DuesPayment" ADD CONSTRAINT "DuesPayment_remittanceId_fkey" FOREIGN KEY ("remittanceId") REFERENCES "DuesRemittance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesBase" ADD CONSTRAINT "DuesBase_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesReduction" ADD CONSTRAINT "DuesReduction_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesReduction" ADD CONSTRAINT "DuesReduction_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesRemittance" ADD CONSTRAINT "DuesRemittance_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesMonthState" ADD CONSTRAINT "DuesMonthState_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuesSetting" ADD CONSTRAINT "DuesSetting_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing payments: each month counts as paid at the amount given. No base is invented, so such a month has
-- no standard (null) and is settled by any payment.
INSERT INTO "DuesMonthState" ("memberId", "month", "standardFen", "paidFen", "settled")
SELECT "memberId", "month", NULL, ROUND(SUM("amount") * 100)::INTEGER, true
FROM "DuesPayment"
GROUP BY "memberId", "month";
