-- upkeep schema 5: a host's detail keeps the installed packages Debian's
-- debian-security-support lists name (collector format 3, Y records).

ALTER TABLE details ADD COLUMN listings TEXT;  -- [{"package","source","list","kind","version","ends","note"}]
