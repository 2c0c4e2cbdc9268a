/*
  Warnings:

  - A unique constraint covering the columns `[nationalIdHash]` on the table `Talent` will be added. If there are existing duplicate values, this will fail.

*/
-- DropIndex
DROP INDEX "Talent_nationalId_key";

-- AlterTable
ALTER TABLE "Talent" ADD COLUMN     "nationalIdHash" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Talent_nationalIdHash_key" ON "Talent"("nationalIdHash");
