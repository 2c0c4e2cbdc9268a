-- CreateEnum
CREATE TYPE "MemberStanding" AS ENUM ('ACTIVE', 'SUSPENDED', 'LEFT', 'DECEASED');

-- CreateEnum
CREATE TYPE "MemberLifecycleKind" AS ENUM ('SUSPENDED', 'RESTORED', 'REMOVED', 'EXPELLED', 'WITHDREW', 'LAPSED', 'PROBATION_CANCELLED', 'DIED', 'WENT_MOBILE', 'MOBILE_RETURNED', 'LOST_CONTACT', 'CONTACT_RESTORED', 'RETAINED', 'RETENTION_ENDED');

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "lostContactEfforts" TEXT,
ADD COLUMN     "lostContactSince" DATE,
ADD COLUMN     "mobileDestination" TEXT,
ADD COLUMN     "mobileHostId" TEXT,
ADD COLUMN     "mobileSince" DATE,
ADD COLUMN     "retainedSince" DATE,
ADD COLUMN     "standing" "MemberStanding" NOT NULL DEFAULT 'ACTIVE',
ADD COLUMN     "standingSince" DATE;

-- CreateTable
CREATE TABLE "MemberLifecycleEvent" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "kind" "MemberLifecycleKind" NOT NULL,
    "date" DATE NOT NULL,
    "reason" TEXT NOT NULL,
    "details" TEXT,
    "hostId" TEXT,
    "actorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberLifecycleEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MemberLifecycleEvent_memberId_date_idx" ON "MemberLifecycleEvent"("memberId", "date");

-- CreateIndex
CREATE INDEX "Member_standing_idx" ON "Member"("standing");

-- AddForeignKey
ALTER TABLE "MemberLifecycleEvent" ADD CONSTRAINT "MemberLifecycleEvent_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
