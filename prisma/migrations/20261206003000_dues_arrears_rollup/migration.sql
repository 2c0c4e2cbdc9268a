-- A committee's arrears count from a rollup (bench scenario 7a: p99 159–192 ms on PostgreSQL before: one
-- pass over the open run of every member of the subtree, ~100k index entries for the working committee).
-- "DuesArrearsRollup" holds, for every organization and every (fromMonth, gapFrom, gapTo) among the open
-- runs of the members on the roll at or below it, how many such members there are. Whether a member owes a
-- month of a window depends on those three months alone (but for the rare "paid ahead with a gap", which
-- the count still reads from the runs: see member-queries.ts), so a subtree's count is a sum over the rows
-- of its top organization, whatever the window.
--
-- Kept in the writing transaction by statement-level triggers on "DuesUnsettledRun" (like the member
-- rollup of Organization.subtreeMemberCount), so every writer keeps it right: dues_rebuild_runs (each dues
-- write, the imports, the seed), the Member triggers (new members, joining date, transfer, standing) and
-- moveOrganization (path rewrite). A statement costs one aggregated upsert over the ancestors of the runs
-- it changed, however many rows it changed.

-- CreateTable
CREATE TABLE "DuesArrearsRollup" (
    "organizationId" TEXT NOT NULL,
    "fromMonth" DATE NOT NULL,
    "gapFrom" DATE NOT NULL,
    "gapTo" DATE NOT NULL,
    "members" INTEGER NOT NULL,

    CONSTRAINT "DuesArrearsRollup_pkey" PRIMARY KEY ("organizationId","fromMonth","gapFrom","gapTo")
);

-- Adds open runs (n = +1 each) or removes them (n = −1) on every ancestor of their path (itself included).
-- A run without a closed run before it (gapFrom/gapTo null) counts under the gap 0001-01-01–0001-01-01,
-- before every window, so the key needs no nulls. Rows that reach zero are deleted, so the table holds
-- the keys that exist. Rows are written in key order (fewer lock-order inversions between concurrent
-- writers; PostgreSQL's deadlock detector resolves the rest by aborting one).
CREATE FUNCTION "dues_arrears_rollup_add"(paths TEXT[], froms DATE[], gap_froms DATE[], gap_tos DATE[], ns INTEGER[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  z_orgs TEXT[];
  z_froms DATE[];
  z_gap_froms DATE[];
  z_gap_tos DATE[];
BEGIN
  IF paths IS NULL OR cardinality(paths) = 0 THEN
    RETURN;
  END IF;
  WITH d AS (
    SELECT a.id, r.f, coalesce(r.gf, DATE '0001-01-01') AS gf, coalesce(r.gt, DATE '0001-01-01') AS gt, sum(r.n)::int AS n
      FROM unnest(paths, froms, gap_froms, gap_tos, ns) AS r(path, f, gf, gt, n)
     CROSS JOIN LATERAL unnest(string_to_array(btrim(r.path, '/'), '/')) AS a(id)
     GROUP BY 1, 2, 3, 4
    HAVING sum(r.n) <> 0
  ), up AS (
    INSERT INTO "DuesArrearsRollup" AS t ("organizationId", "fromMonth", "gapFrom", "gapTo", "members")
    SELECT id, f, gf, gt, n FROM d ORDER BY 1, 2, 3, 4
    ON CONFLICT ("organizationId", "fromMonth", "gapFrom", "gapTo") DO UPDATE SET "members" = t."members" + excluded."members"
    RETURNING t."organizationId", t."fromMonth", t."gapFrom", t."gapTo", t."members"
  )
  SELECT array_agg(up."organizationId"), array_agg(up."fromMonth"), array_agg(up."gapFrom"), array_agg(up."gapTo")
    INTO z_orgs, z_froms, z_gap_froms, z_gap_tos
    FROM up WHERE up."members" = 0;
  IF z_orgs IS NOT NULL THEN
    DELETE FROM "DuesArrearsRollup" t
     USING unnest(z_orgs, z_froms, z_gap_froms, z_gap_tos) AS z(o, f, gf, gt)
     WHERE t."organizationId" = z.o AND t."fromMonth" = z.f AND t."gapFrom" = z.gf AND t."gapTo" = z.gt AND t."members" = 0;
  END IF;
END $$;

-- The open runs on the roll a statement wrote (+1) and removed (−1); an update counts as both, so a
-- changed path, onRoll or gap moves the member between keys, and one that changed none of them nets zero.
CREATE FUNCTION "dues_arrears_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  paths TEXT[];
  froms DATE[];
  gap_froms DATE[];
  gap_tos DATE[];
  ns INTEGER[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(path), array_agg("fromMonth"), array_agg("gapFrom"), array_agg("gapTo"), array_agg(1)
      INTO paths, froms, gap_froms, gap_tos, ns
      FROM new_rows WHERE "toMonth" IS NULL AND "onRoll";
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(path), array_agg("fromMonth"), array_agg("gapFrom"), array_agg("gapTo"), array_agg(-1)
      INTO paths, froms, gap_froms, gap_tos, ns
      FROM old_rows WHERE "toMonth" IS NULL AND "onRoll";
  ELSE
    SELECT array_agg(x.path), array_agg(x.f), array_agg(x.gf), array_agg(x.gt), array_agg(x.n)
      INTO paths, froms, gap_froms, gap_tos, ns
      FROM (SELECT path, "fromMonth" AS f, "gapFrom" AS gf, "gapTo" AS gt, 1 AS n FROM new_rows WHERE "toMonth" IS NULL AND "onRoll"
            UNION ALL
            SELECT path, "fromMonth", "gapFrom", "gapTo", -1 FROM old_rows WHERE "toMonth" IS NULL AND "onRoll") x;
  END IF;
  PERFORM "dues_arrears_rollup_add"(paths, froms, gap_froms, gap_tos, ns);
  RETURN NULL;
END $$;

CREATE TRIGGER "dues_arrears_rollup_insert" AFTER INSERT ON "DuesUnsettledRun"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "dues_arrears_rollup"();
CREATE TRIGGER "dues_arrears_rollup_delete" AFTER DELETE ON "DuesUnsettledRun"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "dues_arrears_rollup"();
CREATE TRIGGER "dues_arrears_rollup_update" AFTER UPDATE ON "DuesUnsettledRun"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "dues_arrears_rollup"();

-- The runs of many members rebuilt in two statements (one DELETE, one INSERT: two rollup updates) rather
-- than two per member: an import's chunk and the seed call it once. NULL rebuilds every member.
CREATE FUNCTION dues_rebuild_runs_of(member_ids TEXT[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "DuesUnsettledRun" WHERE member_ids IS NULL OR "memberId" = ANY (member_ids);
  INSERT INTO "DuesUnsettledRun" ("memberId", "fromMonth", "toMonth", "path", "onRoll", "gapFrom", "gapTo")
  WITH s AS (
    SELECT m.id AS mid, date_trunc('month', m."joinedAt")::date AS joined, st.month, org.path,
           "member_on_roll"(m.standing) AS on_roll
    FROM "Member" m
    JOIN "Organization" org ON org.id = m."organizationId"
    LEFT JOIN "DuesMonthState" st
      ON st."memberId" = m.id AND st.settled AND st.month >= date_trunc('month', m."joinedAt")::date
    WHERE member_ids IS NULL OR m.id = ANY (member_ids)
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

-- One member's runs (or every member's, given NULL), as before.
CREATE OR REPLACE FUNCTION dues_rebuild_runs(member_id TEXT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM dues_rebuild_runs_of(CASE WHEN member_id IS NULL THEN NULL ELSE ARRAY[member_id] END);
END $$;

-- New members' open runs in one statement per inserted batch (a roster import inserts thousands of
-- members per statement): the row-level trigger would insert them one by one, one rollup update each.
CREATE FUNCTION dues_members_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "DuesUnsettledRun" ("memberId", "fromMonth", "toMonth", "path", "onRoll")
  SELECT m.id, date_trunc('month', m."joinedAt")::date, NULL, o.path, "member_on_roll"(m.standing)
    FROM new_rows m JOIN "Organization" o ON o.id = m."organizationId";
  RETURN NULL;
END $$;

-- The row-level trigger keeps the updates (joining date, transfer, standing: one member at a time).
CREATE OR REPLACE FUNCTION dues_member_runs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."joinedAt" IS DISTINCT FROM OLD."joinedAt" THEN
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
CREATE TRIGGER "Member_dues_runs" AFTER UPDATE OF "joinedAt", "organizationId", "standing" ON "Member"
FOR EACH ROW EXECUTE FUNCTION dues_member_runs();
CREATE TRIGGER "Member_dues_runs_insert" AFTER INSERT ON "Member"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dues_members_inserted();

-- The rollup of the runs already there.
INSERT INTO "DuesArrearsRollup" ("organizationId", "fromMonth", "gapFrom", "gapTo", "members")
SELECT a.id, r."fromMonth", coalesce(r."gapFrom", DATE '0001-01-01'), coalesce(r."gapTo", DATE '0001-01-01'), count(*)::int
  FROM "DuesUnsettledRun" r
 CROSS JOIN LATERAL unnest(string_to_array(btrim(r.path, '/'), '/')) AS a(id)
 WHERE r."toMonth" IS NULL AND r."onRoll"
 GROUP BY 1, 2, 3, 4;
