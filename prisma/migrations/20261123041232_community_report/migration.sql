-- CreateEnum
CREATE TYPE "CommunityRegistrationStatus" AS ENUM ('REGISTERED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "CommunityDemandKind" AS ENUM ('MICRO_WISH', 'HELP_POST', 'SERVICE_PROJECT');

-- CreateEnum
CREATE TYPE "CommunityDemandStatus" AS ENUM ('OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "CommunityDemandClaimStatus" AS ENUM ('CLAIMED', 'COMPLETED', 'CONFIRMED');

-- CreateEnum
CREATE TYPE "VolunteerTeamLevel" AS ENUM ('CORPS', 'DETACHMENT', 'SQUAD');

-- CreateEnum
CREATE TYPE "CommunityServiceKind" AS ENUM ('CONVENIENCE', 'TRAFFIC_CIVILITY', 'CIVILIZED_CITY', 'ENVIRONMENT', 'POLICY_PROMOTION', 'CARE_VISIT', 'OTHER');

-- CreateEnum
CREATE TYPE "CommunityServiceStatus" AS ENUM ('SUBMITTED', 'VERIFIED', 'REJECTED');

-- CreateTable
CREATE TABLE "Community" (
    "id" TEXT NOT NULL,
    "rootOrganizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "street" TEXT,
    "district" TEXT,
    "partyOrganizationName" TEXT,
    "contactName" TEXT,
    "contactPhone" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Community_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommunityRegistration" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "memberId" TEXT,
    "date" DATE NOT NULL,
    "status" "CommunityRegistrationStatus" NOT NULL DEFAULT 'REGISTERED',
    "withdrawnOn" DATE,
    "certificateNo" TEXT NOT NULL,
    "activeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CommunityRegistration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommunityDemand" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "kind" "CommunityDemandKind" NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "capacity" INTEGER NOT NULL,
    "status" "CommunityDemandStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CommunityDemand_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommunityDemandClaim" (
    "id" TEXT NOT NULL,
    "demandId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "status" "CommunityDemandClaimStatus" NOT NULL DEFAULT 'CLAIMED',
    "report" TEXT,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "confirmedAt" TIMESTAMP(3),

    CONSTRAINT "CommunityDemandClaim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VolunteerTeam" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" "VolunteerTeamLevel" NOT NULL,
    "parentTeamId" TEXT,
    "leaderMemberId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VolunteerTeam_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VolunteerTeamMember" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "joinedOn" DATE NOT NULL,

    CONSTRAINT "VolunteerTeamMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommunityServiceRecord" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "kind" "CommunityServiceKind" NOT NULL,
    "date" DATE NOT NULL,
    "hours" DECIMAL(4,1) NOT NULL,
    "description" TEXT NOT NULL,
    "status" "CommunityServiceStatus" NOT NULL DEFAULT 'SUBMITTED',
    "rejectReason" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "reviewedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommunityServiceRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Community_rootOrganizationId_idx" ON "Community"("rootOrganizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Community_rootOrganizationId_name_key" ON "Community"("rootOrganizationId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CommunityRegistration_certificateNo_key" ON "CommunityRegistration"("certificateNo");

-- CreateIndex
CREATE UNIQUE INDEX "CommunityRegistration_activeKey_key" ON "CommunityRegistration"("activeKey");

-- CreateIndex
CREATE INDEX "CommunityRegistration_communityId_status_idx" ON "CommunityRegistration"("communityId", "status");

-- CreateIndex
CREATE INDEX "CommunityRegistration_organizationId_idx" ON "CommunityRegistration"("organizationId");

-- CreateIndex
CREATE INDEX "CommunityRegistration_memberId_idx" ON "CommunityRegistration"("memberId");

-- CreateIndex
CREATE INDEX "CommunityDemand_communityId_status_idx" ON "CommunityDemand"("communityId", "status");

-- CreateIndex
CREATE INDEX "CommunityDemandClaim_organizationId_idx" ON "CommunityDemandClaim"("organizationId");

-- CreateIndex
CREATE INDEX "CommunityDemandClaim_memberId_idx" ON "CommunityDemandClaim"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "CommunityDemandClaim_demandId_memberId_key" ON "CommunityDemandClaim"("demandId", "memberId");

-- CreateIndex
CREATE INDEX "VolunteerTeam_parentTeamId_idx" ON "VolunteerTeam"("parentTeamId");

-- CreateIndex
CREATE UNIQUE INDEX "VolunteerTeam_organizationId_name_key" ON "VolunteerTeam"("organizationId", "name");

-- CreateIndex
CREATE INDEX "VolunteerTeamMember_memberId_idx" ON "VolunteerTeamMember"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "VolunteerTeamMember_teamId_memberId_key" ON "VolunteerTeamMember"("teamId", "memberId");

-- CreateIndex
CREATE INDEX "CommunityServiceRecord_memberId_date_idx" ON "CommunityServiceRecord"("memberId", "date");

-- CreateIndex
CREATE INDEX "CommunityServiceRecord_organizationId_status_date_idx" ON "CommunityServiceRecord"("organizationId", "status", "date");

-- CreateIndex
CREATE INDEX "CommunityServiceRecord_communityId_status_idx" ON "CommunityServiceRecord"("communityId", "status");

-- AddForeignKey
ALTER TABLE "CommunityRegistration" ADD CONSTRAINT "CommunityRegistration_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunityDemand" ADD CONSTRAINT "CommunityDemand_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunityDemandClaim" ADD CONSTRAINT "CommunityDemandClaim_demandId_fkey" FOREIGN KEY ("demandId") REFERENCES "CommunityDemand"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerTeam" ADD CONSTRAINT "VolunteerTeam_parentTeamId_fkey" FOREIGN KEY ("parentTeamId") REFERENCES "VolunteerTeam"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerTeamMember" ADD CONSTRAINT "VolunteerTeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "VolunteerTeam"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunityServiceRecord" ADD CONSTRAINT "CommunityServiceRecord_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
