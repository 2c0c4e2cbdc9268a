-- 纪检监督: the clue access log is append-only. Prisma does not model triggers, so this guarantee lives
-- here: any UPDATE, DELETE or TRUNCATE of "DisciplineClueAccessLog" fails, whoever issues it.
CREATE FUNCTION "discipline_clue_access_log_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'DisciplineClueAccessLog is append-only: % refused', TG_OP;
END
$$;

CREATE TRIGGER "DisciplineClueAccessLog_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "DisciplineClueAccessLog"
  FOR EACH ROW EXECUTE FUNCTION "discipline_clue_access_log_append_only"();

CREATE TRIGGER "DisciplineClueAccessLog_no_truncate"
  BEFORE TRUNCATE ON "DisciplineClueAccessLog"
  FOR EACH STATEMENT EXECUTE FUNCTION "discipline_clue_access_log_append_only"();
