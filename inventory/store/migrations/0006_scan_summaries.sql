-- upkeep schema 6: the finding counts of a judged scan, recorded by the
-- commands that judge a whole scan, so that the report can draw a burn-down
-- over the kept scans without judging each of them again.

CREATE TABLE scan_summaries (
	scan_id     INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
	fingerprint TEXT NOT NULL,    -- hex SHA-256 of at, data, upkeep and options: what made the counts
	at          TEXT NOT NULL,    -- YYYY-MM-DD: the evaluation day
	data        TEXT NOT NULL,    -- the end-of-life and AL2023 data that judged it, as the report names it
	upkeep      TEXT NOT NULL,    -- the upkeep build (its registry is built in)
	options     TEXT NOT NULL,    -- the judging options that change verdicts (window, extended support, waivers)
	recorded_at TEXT NOT NULL,
	hosts       INTEGER NOT NULL, -- hosts of the scan, scanned or not
	scanned     INTEGER NOT NULL, -- hosts with package data
	hosts_eol   INTEGER NOT NULL, -- hosts with an eol finding no waiver accepts
	waived      INTEGER NOT NULL, -- findings a waiver accepts (not in findings)
	findings    TEXT NOT NULL CHECK (json_valid(findings)), -- JSON object verdict -> findings no waiver accepts
	PRIMARY KEY (scan_id, fingerprint)
) WITHOUT ROWID;
