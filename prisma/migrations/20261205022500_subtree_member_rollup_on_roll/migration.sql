-- 党员总数 counts members on the roll only (standing ACTIVE or SUSPENDED), as memberCount, rosters and
-- counts do since the member lifecycle (出党, 死亡 are out of them but stay readable in history). The
-- triggers of subtree_member_rollup counted every Member row; here they count a member where it is on
-- the roll, and a change of standing onto or off the roll is a +1 / −1 on the ancestors like a move.

CREATE OR REPLACE FUNCTION "member_on_roll"(standing "MemberStanding") RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT standing IN ('ACTIVE', 'SUSPENDED')
$$;

CREATE OR REPLACE FUNCTION "member_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
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
             WHERE "member_on_roll"(m.standing)
             GROUP BY p.id) a;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(a.id ORDER BY a.id), array_agg(a.n ORDER BY a.id) INTO ids, ns
      FROM (SELECT p.id, -count(*)::int AS n
              FROM old_rows m
              JOIN "Organization" o ON o.id = m."organizationId"
             CROSS JOIN LATERAL unnest(string_to_array(btrim(o.path, '/'), '/')) AS p(id)
             WHERE "member_on_roll"(m.standing)
             GROUP BY p.id) a;
  ELSE
    -- A row counts +1 where it is now (if on the roll) and −1 where it was (if it was on the roll),
    -- whenever its organization or its being on the roll changed.
    SELECT array_agg(a.id ORDER BY a.id), array_agg(a.n ORDER BY a.id) INTO ids, ns
      FROM (SELECT p.id, sum(x.n)::int AS n
              FROM (SELECT n."organizationId" AS org, 1 AS n
                      FROM new_rows n JOIN old_rows b ON b.id = n.id
                     WHERE "member_on_roll"(n.standing)
                       AND (b."organizationId" <> n."organizationId" OR NOT "member_on_roll"(b.standing))
                    UNION ALL
                    SELECT b."organizationId", -1
                      FROM new_rows n JOIN old_rows b ON b.id = n.id
                     WHERE "member_on_roll"(b.standing)
                       AND (b."organizationId" <> n."organizationId" OR NOT "member_on_roll"(n.standing))) x
              JOIN "Organization" o ON o.id = x.org
             CROSS JOIN LATERAL unnest(string_to_array(btrim(o.path, '/'), '/')) AS p(id)
             GROUP BY p.id
            HAVING sum(x.n) <> 0) a;
  END IF;
  PERFORM "organization_rollup_add"(ids, ns);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "organization_move_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
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
                    CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM "Member" m
                                         WHERE m."organizationId" = n.id AND "member_on_roll"(m.standing)) d
                   WHERE b.path <> n.path
                  UNION ALL
                  SELECT b.path, -d.n
                    FROM new_rows n JOIN old_rows b ON b.id = n.id
                    CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM "Member" m
                                         WHERE m."organizationId" = n.id AND "member_on_roll"(m.standing)) d
                   WHERE b.path <> n.path) x
           CROSS JOIN LATERAL unnest(string_to_array(btrim(x.path, '/'), '/')) AS p(id)
           GROUP BY p.id
          HAVING sum(x.n) <> 0) a;
  PERFORM "organization_rollup_add"(ids, ns);
  RETURN NULL;
END $$;

-- The counts of the rows already there, on the roll only.
UPDATE "Organization" o SET "subtreeMemberCount" = coalesce(c.n, 0)
  FROM "Organization" o2
  LEFT JOIN (SELECT p.id, count(*)::int AS n
               FROM "Member" m
               JOIN "Organization" mo ON mo.id = m."organizationId"
              CROSS JOIN LATERAL unnest(string_to_array(btrim(mo.path, '/'), '/')) AS p(id)
              WHERE "member_on_roll"(m.standing)
              GROUP BY p.id) c ON c.id = o2.id
 WHERE o.id = o2.id;
