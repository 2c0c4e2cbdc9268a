-- A published ranking is read a page at a time in rank order (ORDER BY rank, path LIMIT n).
CREATE INDEX "AssessmentScorecard_schemeId_rank_idx" ON "AssessmentScorecard"("schemeId", "rank");
