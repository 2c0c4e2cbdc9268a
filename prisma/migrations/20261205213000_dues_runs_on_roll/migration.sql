-- A committee's arrears count as an index range over the owing members' runs alone (bench scenario 7a:
-- 684 ms at p50 on PostgreSQL before, on the scale data). The count joined every run it read to its
-- member for the standing (members who left, died or were transferred out owe nothing), so it touched
-- each member of the subtree. A run now carries whether its member is on the roll, kept in the writing
-- transaction like its path: by dues_rebuild_runs and by the Member trigger when the standing changes.
-- With the index below, "owes a month of the window" is two ranges: open runs (toMonth NULL) of members
-- on the roll that started by the window's last month — one row per owing member — and the few closed
-- runs that end inside or after the window.

-- AlterTable
ALTER TABLE "DuesUnsettledRun" ADD COLUMN "onRoll" BOOLEAN NOT NULL DEFAULT true;

-- DropIndex
DROP INDEX "DuesUnsettledRun_toMonth_fromMonth_idx";

-- CreateIndex
CREATE INDEX "DuesUnsettledRun_toMonth_onRoll_fromMonth_path_idx" ON "DuesUnsettledRun"("toMonth", "onRoll", "fromMonth", "path");

CREATE OR REPLACE FUNCTION dues_rebuild_runs(member_id TEXT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "DuesUnsettledRun" WHERE member_id IS NULL OR "memberId" = member_id;
  INSERT INTO "DuesUnsettledRun" ("memberId", "fromMonth", "toMonth", "path", "onRoll")
  WITH s AS (
    SELECT m.id AS mid, date_trunc('month', m."joinedAt")::date AS joined, st.month, org.path,
           "member_on_roll"(m.standing) AS on_roll
    FROM "Member" m
    JOIN "Organization" org ON org.id = m."organizationId"
    LEFT JOIN "DuesMonthState" st
      ON st."memberId" = m.id AND st.settled AND st.month >= date_trunc('month', m."joinedAt")::date
    WHERE member_id IS NULL OR m.id = member_id
  ), o AS (
    SELECT mid, joined, month, path, on_roll, LAG(month) OVER (PARTITION BY mid ORDER BY month) AS prev FROM s
  )
  SELECT mid, COALESCE((prev + INTERVAL '1 month')::date, joined), (month - INTERVAL '1 month')::date, path, on_roll
  FROM o
  WHERE month IS NOT NULL AND COALESCE((prev + INTERVAL '1 month')::date, joined) < month
  UNION ALL
  SELECT mid, COALESCE((MAX(month) + INTERVAL '1 month')::date, MIN(joined)), NULL, MIN(path), bool_and(on_roll)
  FROM s
  GROUP BY mid;
END $$;

-- As before (a new member owes from joining; a changed joining date rebuilds; a transfer moves the path),
-- and a change of standing onto or off the roll flags the member's runs.
CREATE OR REPLACE FUNCTION dues_member_runs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "DuesUnsettledRun" ("memberId", "fromMonth", "toMonth", "path", "onRoll")
    SELECT NEW.id, date_trunc('month', NEW."joinedAt")::date, NULL, path, "member_on_roll"(NEW.standing)
      FROM "Organization" WHERE id = NEW."organizationId";
  ELSIF NEW."joinedAt" IS DISTINCT FROM OLD."joinedAt" THEN
    PERFORM dues_rebuild_runs(NEW.id);
  ELSE
    IF NEW."organizationId" IS DISTINCT FROM OLD."organizationId" THEN
      UPDATE "DuesUnsettledRun" SET path = (SELECT path FROM "Organization" WHERE id = NEW."organizationId") WHERE "memberId" = NEW.id;
    END IF;
    IF "member_on_roll"(NEW.standing) IS DISTINCT FROM "member_on_roll"(OLD.standing) THEN
      UPDATE "DuesUnsettledRun" SET "onRoll" = "member_on_roll"(NEW.standing) WHERE "memberId" = NEW.id;
    END IF;
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER "Member_dues_runs" ON "Member";
CREATE TRIGGER "Member_dues_runs" AFTER INSERT OR UPDATE OF "joinedAt", "organizationId", "standing" ON "Member"
FOR EACH ROW EXECUTE FUNCTION dues_member_runs();

-- Backfill: the runs of members off the roll.
UPDATE "DuesUnsettledRun" r SET "onRoll" = false
  FROM "Member" m
 WHERE m.id = r."memberId" AND NOT "member_on_roll"(m.standing);
