/*
  Warnings:

  - A unique constraint covering the columns `[developmentRecordId]` on the table `Talent` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "Talent" ADD COLUMN     "developmentRecordId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Talent_developmentRecordId_key" ON "Talent"("developmentRecordId");
