-- A committee's arrears count as an index range over the owing members' runs alone (bench scenario 7a:
-- 684 ms at p50 on PostgreSQL before, on the scale data). The count joined every run it read to its
-- member for the standing (members who left, died or were transferred out owe nothing), so it touched
-- each member of the subtree. A run now carries whether its member is on the roll, kept in the writing
-- transaction like its path: by dues_rebuild_runs and by the Member trigger when the standing changes.
-- With the index below the count reads one index entry per member of the subtree (its open run, which
-- also carries the member's latest gap) and no member row.

-- AlterTable
ALTER TABLE "DuesUnsettledRun" ADD COLUMN "onRoll" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN "gapFrom" DATE,
ADD COLUMN "gapTo" DATE;

-- DropIndex
DROP INDEX "DuesUnsettledRun_toMonth_fromMonth_idx";

-- CreateIndex
CREATE INDEX "DuesUnsettledRun_runs_idx" ON "DuesUnsettledRun"("toMonth", "onRoll", "gapFrom", "fromMonth", "path", "gapTo");

-- The open run (one per member) also carries the member's latest closed run (gapFrom–gapTo, null when
-- there is none), so that one row per member answers "owes a month of the window" unless that gap lies
-- after the window (paid ahead with a gap, rare): then the count looks at the member's closed runs.
CREATE OR REPLACE FUNCTION dues_rebuild_runs(member_id TEXT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "DuesUnsettledRun" WHERE member_id IS NULL OR "memberId" = member_id;
  INSERT INTO "DuesUnsettledRun" ("memberId", "fromMonth", "toMonth", "path", "onRoll", "gapFrom", "gapTo")
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
  ), closed AS (
    SELECT mid, COALESCE((prev + INTERVAL '1 month')::date, joined) AS f, (month - INTERVAL '1 month')::date AS t, path, on_roll
    FROM o
    WHERE month IS NOT NULL AND COALESCE((prev + INTERVAL '1 month')::date, joined) < month
  ), latest AS (
    SELECT DISTINCT ON (mid) mid, f, t FROM closed ORDER BY mid, f DESC
  ), opened AS (
    SELECT mid, COALESCE((MAX(month) + INTERVAL '1 month')::date, MIN(joined)) AS f, MIN(path) AS path, bool_and(on_roll) AS on_roll
    FROM s
    GROUP BY mid
  )
  SELECT mid, f, t, path, on_roll, NULL::date, NULL::date FROM closed
  UNION ALL
  SELECT p.mid, p.f, NULL, p.path, p.on_roll, l.f, l.t FROM opened p LEFT JOIN latest l ON l.mid = p.mid;
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

-- Backfill: every member's runs again (onRoll, and the latest gap on the open run).
SELECT dues_rebuild_runs(NULL);
