-- CreateEnum
CREATE TYPE "PartyBrandState" AS ENUM ('DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED', 'CULTIVATING', 'MODEL', 'REVOKED');

-- CreateTable
CREATE TABLE "PartyBrandPlan" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "startYear" INTEGER NOT NULL,
    "endYear" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PartyBrandPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartyBrandPlanGoal" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "applied" INTEGER NOT NULL,
    "approved" INTEGER NOT NULL,
    "model" INTEGER NOT NULL,

    CONSTRAINT "PartyBrandPlanGoal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartyBrand" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "planId" TEXT,
    "name" TEXT NOT NULL,
    "slogan" TEXT,
    "business" TEXT NOT NULL,
    "description" TEXT,
    "goals" TEXT,
    "measures" TEXT,
    "state" "PartyBrandState" NOT NULL DEFAULT 'DRAFT',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PartyBrand_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartyBrandTransition" (
    "id" TEXT NOT NULL,
    "brandId" TEXT NOT NULL,
    "from" "PartyBrandState",
    "to" "PartyBrandState" NOT NULL,
    "actorId" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "comment" TEXT,

    CONSTRAINT "PartyBrandTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartyBrandEvaluation" (
    "id" TEXT NOT NULL,
    "brandId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "integration" INTEGER NOT NULL,
    "innovation" INTEGER NOT NULL,
    "effect" INTEGER NOT NULL,
    "publicity" INTEGER NOT NULL,
    "comments" TEXT,
    "evaluatorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PartyBrandEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PartyBrandPlan_organizationId_idx" ON "PartyBrandPlan"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "PartyBrandPlanGoal_planId_year_key" ON "PartyBrandPlanGoal"("planId", "year");

-- CreateIndex
CREATE INDEX "PartyBrand_organizationId_state_idx" ON "PartyBrand"("organizationId", "state");

-- CreateIndex
CREATE INDEX "PartyBrand_planId_state_idx" ON "PartyBrand"("planId", "state");

-- CreateIndex
CREATE INDEX "PartyBrandTransition_brandId_at_idx" ON "PartyBrandTransition"("brandId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "PartyBrandEvaluation_brandId_year_key" ON "PartyBrandEvaluation"("brandId", "year");

-- AddForeignKey
ALTER TABLE "PartyBrandPlanGoal" ADD CONSTRAINT "PartyBrandPlanGoal_planId_fkey" FOREIGN KEY ("planId") REFERENCES "PartyBrandPlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyBrand" ADD CONSTRAINT "PartyBrand_planId_fkey" FOREIGN KEY ("planId") REFERENCES "PartyBrandPlan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyBrandTransition" ADD CONSTRAINT "PartyBrandTransition_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "PartyBrand"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyBrandEvaluation" ADD CONSTRAINT "PartyBrandEvaluation_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "PartyBrand"("id") ON DELETE CASCADE ON UPDATE CASCADE;
