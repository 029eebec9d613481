-- upkeep schema 1. See docs/schema.md for what every row means.
-- Times are UTC text, 'YYYY-MM-DDTHH:MM:SS.SSSZ'; absent values are '' (text)
-- or NULL (times, references), never both.

CREATE TABLE scans (
	id       INTEGER PRIMARY KEY,
	source   TEXT NOT NULL,               -- ssm, ssm-inventory, local, import, demo
	targets  TEXT NOT NULL DEFAULT '',     -- what was asked for, as the user said it
	started  TEXT NOT NULL,
	finished TEXT,                         -- NULL while running or when interrupted
	counts   TEXT                          -- JSON object status -> hosts, written when the scan finishes
);

-- One row per machine ever seen, keyed by its stable identity.
CREATE TABLE hosts (
	id            INTEGER PRIMARY KEY,
	ident         TEXT NOT NULL UNIQUE,    -- EC2 instance id, or the machine name for local and imported hosts
	name          TEXT NOT NULL DEFAULT '',
	region        TEXT NOT NULL DEFAULT '',
	account       TEXT NOT NULL DEFAULT '',
	source        TEXT NOT NULL DEFAULT '',
	platform      TEXT NOT NULL DEFAULT '',
	agent_version TEXT NOT NULL DEFAULT '',
	ping_status   TEXT NOT NULL DEFAULT '',
	ip_address    TEXT NOT NULL DEFAULT '',
	last_ping     TEXT
);

-- The package dictionary: each distinct installed package once, whatever
-- number of hosts carry it. Rows are never deleted, so ids are stable.
CREATE TABLE packages (
	id      INTEGER PRIMARY KEY,
	manager TEXT NOT NULL,                 -- rpm or dpkg
	name    TEXT NOT NULL,
	epoch   TEXT NOT NULL DEFAULT '',
	version TEXT NOT NULL,
	release TEXT NOT NULL DEFAULT '',
	arch    TEXT NOT NULL DEFAULT '',
	vendor  TEXT NOT NULL DEFAULT '',
	status  TEXT NOT NULL DEFAULT '',      -- dpkg db:Status-Abbrev (ii); '' for rpm
	-- name first: lookups by name and name GLOB 'prefix*' use this index.
	UNIQUE (name, manager, version, release, epoch, arch, vendor, status)
);

-- A package list, stored once however many hosts share it (an AMI-baked
-- fleet has few distinct lists). members is a JSON array of packages.id in
-- ascending order; hash is the SHA-256 of those ids as 8-byte big-endian words.
CREATE TABLE package_sets (
	id      INTEGER PRIMARY KEY,
	hash    BLOB NOT NULL UNIQUE,
	count   INTEGER NOT NULL,
	members TEXT NOT NULL
);

-- One host as seen by one scan. Report columns are filled only when
-- has_report is 1 (status ok or inventory).
CREATE TABLE observations (
	id             INTEGER PRIMARY KEY,
	scan_id        INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
	host_id        INTEGER NOT NULL REFERENCES hosts (id),
	status         TEXT NOT NULL,
	error          TEXT NOT NULL DEFAULT '',
	has_report     INTEGER NOT NULL DEFAULT 0,
	format         INTEGER NOT NULL DEFAULT 0,
	hostname       TEXT NOT NULL DEFAULT '',
	kernel         TEXT NOT NULL DEFAULT '',
	arch           TEXT NOT NULL DEFAULT '',
	machine_id     TEXT NOT NULL DEFAULT '',
	os_id          TEXT NOT NULL DEFAULT '',
	os_version     TEXT NOT NULL DEFAULT '',
	os_name        TEXT NOT NULL DEFAULT '',
	os_pretty      TEXT NOT NULL DEFAULT '',
	os_id_like     TEXT NOT NULL DEFAULT '',
	collected_at   TEXT,
	uptime         INTEGER NOT NULL DEFAULT 0, -- seconds
	package_set_id INTEGER REFERENCES package_sets (id),
	warnings       TEXT,                        -- JSON array of collector warnings, NULL when none
	UNIQUE (scan_id, host_id)
);
CREATE INDEX observations_host ON observations (host_id);
CREATE INDEX observations_package_set ON observations (package_set_id);

-- The per-observation lists are clustered by observation (WITHOUT ROWID) so
-- that loading one scan reads them in one pass; seq keeps the collector's order.
CREATE TABLE probes (
	observation_id INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
	seq            INTEGER NOT NULL,
	name           TEXT NOT NULL,
	path           TEXT NOT NULL DEFAULT '',
	owner          TEXT NOT NULL DEFAULT '',
	output         TEXT NOT NULL DEFAULT '',
	version        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (observation_id, seq)
) WITHOUT ROWID;

CREATE TABLE services (
	observation_id INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
	seq            INTEGER NOT NULL,
	unit           TEXT NOT NULL,
	state          TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (observation_id, seq)
) WITHOUT ROWID;

CREATE TABLE listeners (
	observation_id INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
	seq            INTEGER NOT NULL,
	proto          TEXT NOT NULL,
	addr           TEXT NOT NULL DEFAULT '',
	port           INTEGER NOT NULL,
	process        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (observation_id, seq)
) WITHOUT ROWID;

-- Tags as one scan saw them: origin 'host' for the control plane's tags
-- (EC2/SSM), 'report' for T records the collector output carried.
CREATE TABLE tags (
	observation_id INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
	origin         TEXT NOT NULL,
	key            TEXT NOT NULL,
	value          TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (observation_id, origin, key)
) WITHOUT ROWID;

-- host_packages expands the shared package sets back to one row per host
-- and package, so that a sqlite3 user can query packages normally.
CREATE VIEW host_packages AS
SELECT o.scan_id, o.id AS observation_id, h.ident AS host, h.name AS host_name,
       p.id AS package_id, p.manager, p.name, p.epoch, p.version, p.release, p.arch, p.vendor,
       p.status AS package_status,
       CASE WHEN p.manager = 'rpm'
            THEN (CASE WHEN p.epoch NOT IN ('', '0') THEN p.epoch || ':' ELSE '' END)
                 || p.version || (CASE WHEN p.release <> '' THEN '-' || p.release ELSE '' END)
            ELSE p.version END AS evr
FROM observations o
JOIN hosts h ON h.id = o.host_id
JOIN package_sets s ON s.id = o.package_set_id
JOIN json_each(s.members) m
JOIN packages p ON p.id = m.value;

-- latest_hosts is every host of the most recent scan with its status and OS.
CREATE VIEW latest_hosts AS
SELECT o.scan_id, o.id AS observation_id, h.ident AS host, h.name AS host_name, h.region,
       o.status, o.error, o.os_id, o.os_version, o.os_pretty, o.kernel,
       COALESCE(s.count, 0) AS packages
FROM observations o
JOIN hosts h ON h.id = o.host_id
LEFT JOIN package_sets s ON s.id = o.package_set_id
WHERE o.scan_id = (SELECT MAX(id) FROM scans);
