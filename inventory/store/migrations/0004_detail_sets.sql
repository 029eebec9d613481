-- upkeep schema 4: per-host detail is content-addressed, as package lists
-- are, so that a host that did not change costs one small observation row
-- per scan; packages carry their module stream and archive component.

DROP VIEW host_packages;
DROP VIEW latest_hosts;

-- packages gains module and component, which are part of a package's
-- identity: the table is rebuilt (ids kept, so package sets stay valid).
CREATE TABLE packages_v4 (
	id        INTEGER PRIMARY KEY,
	manager   TEXT NOT NULL,
	name      TEXT NOT NULL,
	epoch     TEXT NOT NULL DEFAULT '',
	version   TEXT NOT NULL,
	release   TEXT NOT NULL DEFAULT '',
	arch      TEXT NOT NULL DEFAULT '',
	vendor    TEXT NOT NULL DEFAULT '',
	status    TEXT NOT NULL DEFAULT '',
	module    TEXT NOT NULL DEFAULT '',  -- rpm MODULARITYLABEL (name:stream:version:context), '' when none
	component TEXT NOT NULL DEFAULT '',  -- dpkg archive component (main, universe, ...), '' when unknown
	UNIQUE (name, manager, version, release, epoch, arch, vendor, status, module, component)
);
INSERT INTO packages_v4 (id, manager, name, epoch, version, release, arch, vendor, status)
	SELECT id, manager, name, epoch, version, release, arch, vendor, status FROM packages;
DROP TABLE packages;
ALTER TABLE packages_v4 RENAME TO packages;

-- A host's detail as one scan saw it: facts, probes, services, listeners,
-- tags, vendor support statements and collector warnings, stored once per
-- distinct content (hash: SHA-256 of the canonical encoding; rows migrated
-- from schema 3 carry 'schema3:' and the old observation id instead, and
-- are simply not shared). The lists are JSON arrays, NULL when empty.
CREATE TABLE details (
	id          INTEGER PRIMARY KEY,
	hash        BLOB NOT NULL UNIQUE,
	has_report  INTEGER NOT NULL DEFAULT 0,
	format      INTEGER NOT NULL DEFAULT 0,
	hostname    TEXT NOT NULL DEFAULT '',
	kernel      TEXT NOT NULL DEFAULT '',
	arch        TEXT NOT NULL DEFAULT '',
	machine_id  TEXT NOT NULL DEFAULT '',
	os_id       TEXT NOT NULL DEFAULT '',
	os_version  TEXT NOT NULL DEFAULT '',
	os_name     TEXT NOT NULL DEFAULT '',
	os_pretty   TEXT NOT NULL DEFAULT '',
	os_id_like  TEXT NOT NULL DEFAULT '',
	probes      TEXT,  -- [{"name","path","owner","output","version"}]
	services    TEXT,  -- [{"unit","state"}]
	listeners   TEXT,  -- [{"proto","addr","port","process","exe","owner"}]
	host_tags   TEXT,  -- {"key":"value"}: the control plane's tags (EC2, through SSM)
	report_tags TEXT,  -- {"key":"value"}: T records of the collector output
	support     TEXT,  -- [{"package","level","ends","source"}]
	warnings    TEXT   -- ["collector warning", ...]
);

INSERT INTO details (id, hash, has_report, format, hostname, kernel, arch, machine_id, os_id, os_version, os_name, os_pretty, os_id_like,
		probes, services, listeners, host_tags, report_tags, warnings)
SELECT o.id, 'schema3:' || o.id, o.has_report, o.format, o.hostname, o.kernel, o.arch, o.machine_id,
	o.os_id, o.os_version, o.os_name, o.os_pretty, o.os_id_like,
	(SELECT NULLIF(json_group_array(json_object('name', name, 'path', path, 'owner', owner, 'output', output, 'version', version)), '[]')
		FROM (SELECT * FROM probes p WHERE p.observation_id = o.id ORDER BY seq)),
	(SELECT NULLIF(json_group_array(json_object('unit', unit, 'state', state)), '[]')
		FROM (SELECT * FROM services s WHERE s.observation_id = o.id ORDER BY seq)),
	(SELECT NULLIF(json_group_array(json_object('proto', proto, 'addr', addr, 'port', port, 'process', process, 'exe', '', 'owner', '')), '[]')
		FROM (SELECT * FROM listeners l WHERE l.observation_id = o.id ORDER BY seq)),
	(SELECT NULLIF(json_group_object(key, value), '{}') FROM (SELECT * FROM tags t WHERE t.observation_id = o.id AND t.origin = 'host' ORDER BY key)),
	(SELECT NULLIF(json_group_object(key, value), '{}') FROM (SELECT * FROM tags t WHERE t.observation_id = o.id AND t.origin = 'report' ORDER BY key)),
	o.warnings
FROM observations o;

-- One host as seen by one scan: what changes every scan (status, when the
-- collector ran, uptime) and references to the host's package list and
-- detail. Without rowid, keyed by (scan, host): about 30 bytes a host.
CREATE TABLE observations_v4 (
	scan_id        INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
	host_id        INTEGER NOT NULL REFERENCES hosts (id),
	status         TEXT NOT NULL,
	error          TEXT NOT NULL DEFAULT '',
	has_report     INTEGER NOT NULL DEFAULT 0,
	collected_at   INTEGER,                    -- Unix seconds, by the host's clock; NULL without a report
	uptime         INTEGER NOT NULL DEFAULT 0, -- seconds
	package_set_id INTEGER REFERENCES package_sets (id),
	detail_id      INTEGER REFERENCES details (id),
	PRIMARY KEY (scan_id, host_id)
) WITHOUT ROWID;
INSERT INTO observations_v4 (scan_id, host_id, status, error, has_report, collected_at, uptime, package_set_id, detail_id)
	SELECT scan_id, host_id, status, error, has_report, CAST(strftime('%s', collected_at) AS INTEGER), uptime, package_set_id, id
	FROM observations;

DROP TABLE probes;
DROP TABLE services;
DROP TABLE listeners;
DROP TABLE tags;
DROP TABLE observations;
ALTER TABLE observations_v4 RENAME TO observations;
-- No index on host_id: nothing looks a host up across scans often enough
-- to pay ~10 bytes per host per scan for it.

-- The views expand the shared sets back to rows for sqlite3 users.
-- host_packages: one row per host, scan and package.
CREATE VIEW host_packages AS
SELECT o.scan_id, h.ident AS host, h.name AS host_name,
       p.id AS package_id, p.manager, p.name, p.epoch, p.version, p.release, p.arch, p.vendor,
       p.status AS package_status, p.module, p.component,
       CASE WHEN p.manager = 'rpm'
            THEN (CASE WHEN p.epoch NOT IN ('', '0') THEN p.epoch || ':' ELSE '' END)
                 || p.version || (CASE WHEN p.release <> '' THEN '-' || p.release ELSE '' END)
            ELSE p.version END AS evr
FROM observations o
JOIN hosts h ON h.id = o.host_id
JOIN package_sets s ON s.id = o.package_set_id
JOIN json_each(s.members) m
JOIN packages p ON p.id = m.value;

-- host_probes, host_services, host_listeners, host_tags: one row per host,
-- scan and list entry, in the collector's order (seq).
CREATE VIEW host_probes AS
SELECT o.scan_id, h.ident AS host, h.name AS host_name, e.key AS seq,
       e.value ->> 'name' AS name, e.value ->> 'path' AS path, e.value ->> 'owner' AS owner,
       e.value ->> 'output' AS output, e.value ->> 'version' AS version
FROM observations o JOIN hosts h ON h.id = o.host_id JOIN details d ON d.id = o.detail_id
JOIN json_each(d.probes) e;

CREATE VIEW host_services AS
SELECT o.scan_id, h.ident AS host, h.name AS host_name, e.key AS seq,
       e.value ->> 'unit' AS unit, e.value ->> 'state' AS state
FROM observations o JOIN hosts h ON h.id = o.host_id JOIN details d ON d.id = o.detail_id
JOIN json_each(d.services) e;

CREATE VIEW host_listeners AS
SELECT o.scan_id, h.ident AS host, h.name AS host_name, e.key AS seq,
       e.value ->> 'proto' AS proto, e.value ->> 'addr' AS addr, e.value ->> 'port' AS port,
       e.value ->> 'process' AS process, e.value ->> 'exe' AS exe, e.value ->> 'owner' AS owner
FROM observations o JOIN hosts h ON h.id = o.host_id JOIN details d ON d.id = o.detail_id
JOIN json_each(d.listeners) e;

CREATE VIEW host_tags AS
SELECT o.scan_id, h.ident AS host, h.name AS host_name, 'host' AS origin, e.key AS key, e.value AS value
FROM observations o JOIN hosts h ON h.id = o.host_id JOIN details d ON d.id = o.detail_id
JOIN json_each(d.host_tags) e
UNION ALL
SELECT o.scan_id, h.ident, h.name, 'report', e.key, e.value
FROM observations o JOIN hosts h ON h.id = o.host_id JOIN details d ON d.id = o.detail_id
JOIN json_each(d.report_tags) e;

-- latest_hosts: every host of the latest scan that finished with a host
-- that has package data (the scan the judging commands use by default).
CREATE VIEW latest_hosts AS
SELECT o.scan_id, h.ident AS host, h.name AS host_name, h.region,
       o.status, o.error, d.os_id, d.os_version, d.os_pretty, d.kernel,
       COALESCE(s.count, 0) AS packages
FROM observations o
JOIN hosts h ON h.id = o.host_id
LEFT JOIN details d ON d.id = o.detail_id
LEFT JOIN package_sets s ON s.id = o.package_set_id
WHERE o.scan_id = (SELECT MAX(sc.id) FROM scans sc WHERE sc.finished IS NOT NULL AND sc.error = ''
                   AND EXISTS (SELECT 1 FROM observations x WHERE x.scan_id = sc.id AND x.has_report = 1));
