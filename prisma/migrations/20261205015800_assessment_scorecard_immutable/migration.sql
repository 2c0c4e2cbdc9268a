-- 考核: a published scorecard is frozen. Prisma does not model triggers, so this guarantee lives here: any
-- UPDATE, DELETE or TRUNCATE of "AssessmentScorecard" fails, whoever issues it (the hash in the audit
-- trail then always matches the stored card).
CREATE FUNCTION "assessment_scorecard_immutable"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AssessmentScorecard is immutable once published: % refused', TG_OP;
END
$$;

CREATE TRIGGER "AssessmentScorecard_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "AssessmentScorecard"
  FOR EACH ROW EXECUTE FUNCTION "assessment_scorecard_immutable"();

CREATE TRIGGER "AssessmentScorecard_no_truncate"
  BEFORE TRUNCATE ON "AssessmentScorecard"
  FOR EACH STATEMENT EXECUTE FUNCTION "assessment_scorecard_immutable"();
