-- A published ranking is read from the card table alone (bench scenario 8: the page joined every card of the
-- scheme to its organization, 33–42 ms on the embedded database at scale, of a 50 ms target at p99):
-- each card carries its organization's path (kept current by moveOrganization, as Activity.path is) and kind,
-- its frozen place in the ranking and its sibling count; the scheme carries how many cards it froze.

-- AlterTable
ALTER TABLE "AssessmentScheme" ADD COLUMN "coveredCount" INTEGER;

-- AlterTable
ALTER TABLE "AssessmentScorecard" ADD COLUMN "kind" "OrganizationKind",
ADD COLUMN "path" TEXT,
ADD COLUMN "position" INTEGER,
ADD COLUMN "siblingCount" INTEGER;

-- Cards published before: filled from the tree as it is now, in the order the ranking was read (rank, path).
ALTER TABLE "AssessmentScorecard" DISABLE TRIGGER "AssessmentScorecard_no_update_or_delete";
UPDATE "AssessmentScorecard" c SET path = o.path, kind = o.kind FROM "Organization" o WHERE o.id = c."organizationId";
UPDATE "AssessmentScorecard" c SET position = r.n, "siblingCount" = r.siblings
  FROM (SELECT c2.id,
               row_number() OVER (PARTITION BY c2."schemeId" ORDER BY c2.rank, c2.path) AS n,
               count(*) OVER (PARTITION BY c2."schemeId", o."parentId") AS siblings
          FROM "AssessmentScorecard" c2 JOIN "Organization" o ON o.id = c2."organizationId") r
 WHERE r.id = c.id;
ALTER TABLE "AssessmentScorecard" ENABLE TRIGGER "AssessmentScorecard_no_update_or_delete";
UPDATE "AssessmentScheme" s SET "coveredCount" = (SELECT count(*) FROM "AssessmentScorecard" c WHERE c."schemeId" = s.id)
 WHERE s.state = 'PUBLISHED';

ALTER TABLE "AssessmentScorecard" ALTER COLUMN "kind" SET NOT NULL,
ALTER COLUMN "path" SET NOT NULL,
ALTER COLUMN "position" SET NOT NULL,
ALTER COLUMN "siblingCount" SET NOT NULL;

-- A card's content never changes; where it is filed does: an UPDATE that changes nothing but `path` (an
-- organization moving with its subtree) passes, anything else is refused as before.
CREATE OR REPLACE FUNCTION "assessment_scorecard_immutable"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'path') = (to_jsonb(OLD) - 'path') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'AssessmentScorecard is immutable once published: % refused', TG_OP;
END
$$;

-- DropIndex
DROP INDEX "AssessmentScorecard_schemeId_rank_idx";

-- DropIndex: the ranking no longer joins organizations (see above); nothing else reads this index.
DROP INDEX "Organization_path_cover_idx";

-- CreateIndex
CREATE UNIQUE INDEX "AssessmentScorecard_schemeId_position_key" ON "AssessmentScorecard"("schemeId", "position");
