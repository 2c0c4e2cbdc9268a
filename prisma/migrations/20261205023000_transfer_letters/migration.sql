-- CreateEnum
CREATE TYPE "TransferLetterState" AS ENUM ('ISSUED', 'ACCEPTED', 'RETURNED', 'EXPIRED', 'WITHDRAWN', 'COMPLETED');

-- CreateTable
CREATE TABLE "TransferLetter" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "memberName" TEXT NOT NULL,
    "issuerId" TEXT,
    "issuerName" TEXT NOT NULL,
    "originName" TEXT,
    "destinationId" TEXT,
    "destinationName" TEXT NOT NULL,
    "destinationAddress" TEXT,
    "paidUpTo" DATE,
    "issuedOn" DATE NOT NULL,
    "validUntil" DATE NOT NULL,
    "state" "TransferLetterState" NOT NULL DEFAULT 'ISSUED',
    "reason" TEXT NOT NULL,
    "returnReason" TEXT,
    "receiptDueOn" DATE NOT NULL,
    "receiptOn" DATE,
    "decidedAt" TIMESTAMP(3),
    "actorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TransferLetter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TransferLetter_memberId_state_idx" ON "TransferLetter"("memberId", "state");

-- CreateIndex
CREATE INDEX "TransferLetter_issuerId_state_idx" ON "TransferLetter"("issuerId", "state");

-- CreateIndex
CREATE INDEX "TransferLetter_destinationId_state_idx" ON "TransferLetter"("destinationId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "TransferLetter_issuerId_number_key" ON "TransferLetter"("issuerId", "number");

-- AddForeignKey
ALTER TABLE "TransferLetter" ADD CONSTRAINT "TransferLetter_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TransferLetter" ADD CONSTRAINT "TransferLetter_issuerId_fkey" FOREIGN KEY ("issuerId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TransferLetter" ADD CONSTRAINT "TransferLetter_destinationId_fkey" FOREIGN KEY ("destinationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
