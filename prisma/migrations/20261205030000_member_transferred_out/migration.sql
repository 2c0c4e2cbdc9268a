-- AlterEnum
ALTER TYPE "MemberStanding" ADD VALUE 'TRANSFERRED_OUT';
