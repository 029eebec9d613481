-- upkeep schema 2: advisory data refreshed by 'upkeep data update' lives in
-- the database, so --db and --demo choose it with the scans it judges, and
-- one file holds everything a report was made from.

CREATE TABLE datasets (
	name       TEXT PRIMARY KEY,            -- 'endoflife'
	fetched_at TEXT NOT NULL,               -- when upkeep stored it (its own clock)
	source     TEXT NOT NULL DEFAULT '',    -- the API base URL or the file it came from
	data_date  TEXT NOT NULL,               -- YYYY-MM-DD: the day the data describes
	body       TEXT NOT NULL CHECK (json_valid(body)) -- the snapshot, as validated before storing
);
