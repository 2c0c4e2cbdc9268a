-- CreateTable
CREATE TABLE "DuesUnsettledRun" (
    "memberId" TEXT NOT NULL,
    "fromMonth" DATE NOT NULL,
    "toMonth" DATE,
    "path" TEXT NOT NULL,

    CONSTRAINT "DuesUnsettledRun_pkey" PRIMARY KEY ("memberId","fromMonth")
);

-- CreateIndex
CREATE INDEX "DuesUnsettledRun_toMonth_fromMonth_idx" ON "DuesUnsettledRun"("toMonth", "fromMonth");

-- AddForeignKey
ALTER TABLE "DuesUnsettledRun" ADD CONSTRAINT "DuesUnsettledRun_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Rebuilds the unsettled runs of one member (or of every member, given NULL) from their joining month and
-- their settled month states: a run for each gap between settled months, and one open run (toMonth NULL)
-- after the last settled month — or from joining when none is settled.
CREATE FUNCTION dues_rebuild_runs(member_id TEXT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "DuesUnsettledRun" WHERE member_id IS NULL OR "memberId" = member_id;
  INSERT INTO "DuesUnsettledRun" ("memberId", "fromMonth", "toMonth", "path")
  WITH s AS (
    SELECT m.id AS mid, date_trunc('month', m."joinedAt")::date AS joined, st.month, org.path
    FROM "Member" m
    JOIN "Organization" org ON org.id = m."organizationId"
    LEFT JOIN "DuesMonthState" st
      ON st."memberId" = m.id AND st.settled AND st.month >= date_trunc('month', m."joinedAt")::date
    WHERE member_id IS NULL OR m.id = member_id
  ), o AS (
    SELECT mid, joined, month, path, LAG(month) OVER (PARTITION BY mid ORDER BY month) AS prev FROM s
  )
  SELECT mid, COALESCE((prev + INTERVAL '1 month')::date, joined), (month - INTERVAL '1 month')::date, path
  FROM o
  WHERE month IS NOT NULL AND COALESCE((prev + INTERVAL '1 month')::date, joined) < month
  UNION ALL
  SELECT mid, COALESCE((MAX(month) + INTERVAL '1 month')::date, MIN(joined)), NULL, MIN(path)
  FROM s
  GROUP BY mid;
END $$;

-- A new member owes from their joining month; a changed joining date rebuilds their runs; a transfer moves
-- their runs' path. (Members are created
-- by core and by plugins: the trigger keeps every path in step.)
CREATE FUNCTION dues_member_runs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "DuesUnsettledRun" ("memberId", "fromMonth", "toMonth", "path")
    SELECT NEW.id, date_trunc('month', NEW."joinedAt")::date, NULL, path FROM "Organization" WHERE id = NEW."organizationId";
  ELSIF NEW."joinedAt" IS DISTINCT FROM OLD."joinedAt" THEN
    PERFORM dues_rebuild_runs(NEW.id);
  ELSIF NEW."organizationId" IS DISTINCT FROM OLD."organizationId" THEN
    UPDATE "DuesUnsettledRun" SET path = (SELECT path FROM "Organization" WHERE id = NEW."organizationId") WHERE "memberId" = NEW.id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Member_dues_runs" AFTER INSERT OR UPDATE OF "joinedAt", "organizationId" ON "Member"
FOR EACH ROW EXECUTE FUNCTION dues_member_runs();

SELECT dues_rebuild_runs(NULL);
