-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "subtreeMemberCount" INTEGER NOT NULL DEFAULT 0;

-- 党员总数 (Organization.subtreeMemberCount): members of an organization and of everything below it,
-- kept in the transaction of the statement that changes it, by statement-level triggers — so every
-- writer (the API, plugins, the seed, a hand-written fix) keeps it right, and a bulk insert of a
-- thousand members is one aggregated update per ancestor rather than a thousand.
--
-- An organization's ancestors are the ids of its materialized path (`/rootId/…/id/`, itself included).

-- Adds n[i] to the count of organization ids[i]. The rows are locked in id order first, so two
-- transactions touching overlapping ancestors queue on the first shared row instead of deadlocking.
CREATE FUNCTION "organization_rollup_add"(ids TEXT[], ns INTEGER[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN
    RETURN;
  END IF;
  PERFORM 1 FROM "Organization" WHERE id = ANY (ids) ORDER BY id FOR UPDATE;
  UPDATE "Organization" o SET "subtreeMemberCount" = o."subtreeMemberCount" + d.n
    FROM unnest(ids, ns) AS d(id, n)
   WHERE o.id = d.id;
END $$;

-- Members inserted, deleted or moved to another organization: ±1 on every ancestor of the organization.
CREATE FUNCTION "member_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids TEXT[];
  ns INTEGER[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(a.id ORDER BY a.id), array_agg(a.n ORDER BY a.id) INTO ids, ns
      FROM (SELECT p.id, count(*)::int AS n
              FROM new_rows m
              JOIN "Organization" o ON o.id = m."organizationId"
             CROSS JOIN LATERAL unnest(string_to_array(btrim(o.path, '/'), '/')) AS p(id)
             GROUP BY p.id) a;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(a.id ORDER BY a.id), array_agg(a.n ORDER BY a.id) INTO ids, ns
      FROM (SELECT p.id, -count(*)::int AS n
              FROM old_rows m
              JOIN "Organization" o ON o.id = m."organizationId"
             CROSS JOIN LATERAL unnest(string_to_array(btrim(o.path, '/'), '/')) AS p(id)
             GROUP BY p.id) a;
  ELSE
    SELECT array_agg(a.id ORDER BY a.id), array_agg(a.n ORDER BY a.id) INTO ids, ns
      FROM (SELECT p.id, sum(x.n)::int AS n
              FROM (SELECT n."organizationId" AS org, 1 AS n
                      FROM new_rows n JOIN old_rows b ON b.id = n.id
                     WHERE b."organizationId" <> n."organizationId"
                    UNION ALL
                    SELECT b."organizationId", -1
                      FROM new_rows n JOIN old_rows b ON b.id = n.id
                     WHERE b."organizationId" <> n."organizationId") x
              JOIN "Organization" o ON o.id = x.org
             CROSS JOIN LATERAL unnest(string_to_array(btrim(o.path, '/'), '/')) AS p(id)
             GROUP BY p.id
            HAVING sum(x.n) <> 0) a;
  END IF;
  PERFORM "organization_rollup_add"(ids, ns);
  RETURN NULL;
END $$;

CREATE TRIGGER "member_rollup_insert" AFTER INSERT ON "Member"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "member_rollup"();
CREATE TRIGGER "member_rollup_delete" AFTER DELETE ON "Member"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "member_rollup"();
CREATE TRIGGER "member_rollup_update" AFTER UPDATE ON "Member"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "member_rollup"();

-- Organizations whose path changed (a move, which rewrites the path of the whole subtree): each one's
-- direct members leave the ancestors of its old path and join those of its new one. Ancestors inside
-- the moved subtree are on both paths and net to zero. The rollup's own update of "Organization"
-- changes no path and returns at the first check (no recursion).
CREATE FUNCTION "organization_move_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids TEXT[];
  ns INTEGER[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows n JOIN old_rows b ON b.id = n.id WHERE b.path <> n.path) THEN
    RETURN NULL;
  END IF;
  SELECT array_agg(a.id ORDER BY a.id), array_agg(a.n ORDER BY a.id) INTO ids, ns
    FROM (SELECT p.id, sum(x.n)::int AS n
            FROM (SELECT n.path, d.n
                    FROM new_rows n JOIN old_rows b ON b.id = n.id
                    CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM "Member" m WHERE m."organizationId" = n.id) d
                   WHERE b.path <> n.path
                  UNION ALL
                  SELECT b.path, -d.n
                    FROM new_rows n JOIN old_rows b ON b.id = n.id
                    CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM "Member" m WHERE m."organizationId" = n.id) d
                   WHERE b.path <> n.path) x
           CROSS JOIN LATERAL unnest(string_to_array(btrim(x.path, '/'), '/')) AS p(id)
           GROUP BY p.id
          HAVING sum(x.n) <> 0) a;
  PERFORM "organization_rollup_add"(ids, ns);
  RETURN NULL;
END $$;

CREATE TRIGGER "organization_move_rollup" AFTER UPDATE ON "Organization"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "organization_move_rollup"();

-- The counts of the rows already there.
UPDATE "Organization" o SET "subtreeMemberCount" = c.n
  FROM (SELECT p.id, count(*)::int AS n
          FROM "Member" m
          JOIN "Organization" mo ON mo.id = m."organizationId"
         CROSS JOIN LATERAL unnest(string_to_array(btrim(mo.path, '/'), '/')) AS p(id)
         GROUP BY p.id) c
 WHERE o.id = c.id;
