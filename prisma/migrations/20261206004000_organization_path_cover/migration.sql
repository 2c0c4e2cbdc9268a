-- A published ranking's page joins every card of the scheme to its organization (path for the viewer's
-- subtree and the order, parentId, kind): an index-only scan of this index instead of the Organization
-- heap (bench scenario 8 on the scale data: 10k organizations in 5,300 heap pages, ~150 index pages).

-- CreateIndex
CREATE INDEX "Organization_path_cover_idx" ON "Organization"("path", "id", "parentId", "kind");
