-- upkeep schema 3: a scan says how many hosts it meant to store and why it
-- failed, so that an interrupted or failed scan is never judged as a whole
-- fleet, and the store can tell deleted rows from cached ids.

ALTER TABLE scans ADD COLUMN expected INTEGER;            -- hosts the scan meant to store; NULL when unknown
ALTER TABLE scans ADD COLUMN error TEXT NOT NULL DEFAULT ''; -- why the scan failed as a whole, '' when it did not

-- One row of bookkeeping. gc_generation is bumped by every deletion of
-- scans, so that a writer in another process drops the package set ids it
-- cached (they may be gone); last_scan_id keeps a deleted scan's id from
-- being given to a new scan.
CREATE TABLE store_state (
	gc_generation INTEGER NOT NULL,
	last_scan_id  INTEGER NOT NULL
);
INSERT INTO store_state (gc_generation, last_scan_id) VALUES (0, (SELECT COALESCE(MAX(id), 0) FROM scans));
