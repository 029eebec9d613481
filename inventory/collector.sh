#!/bin/sh
# upkeep collector, output format 3 (docs/collector-format.md in the upkeep
# source). It prints what this host runs: host facts, /etc/os-release, every
# installed rpm/dpkg package (with its module stream or archive component),
# the version of middleware binaries it finds (packaged or hand-built),
# running systemd services, listening TCP sockets with their executables, and
# the vendor's support statements where dnf-plugin-support-info ships them or
# Debian's debian-security-support lists name installed packages.
#
# Read-only by design: it writes no file (not even in /tmp), installs, starts
# and restarts nothing, never prompts and never uses the network.
#
# It runs as root, so it executes no program another user could have placed
# or changed: a middleware binary is run only when it and every directory
# above it belong to root and no one else may write them. Versions are read
# from files where the install has one (a JDK's release file, Tomcat's
# RELEASE-NOTES, node's node_version.h), so most are never run at all. What
# is run is only asked for its version, with a clean environment, stdin
# closed, from /, without core dumps and, where `timeout` exists, with a
# 5-second limit; java without its /tmp performance data, php without php.ini.
#
# POSIX sh: runs under dash, busybox sh and bash.
#
# Testing aid: UPKEEP_ROOT (default empty, meaning /) makes it read a fake host
# tree instead of this machine's /etc, /proc, /usr, /opt. With it set, binaries
# are looked for only under that tree, never on $PATH. Leave it unset on hosts.

LC_ALL=C
export LC_ALL
R=${UPKEEP_ROOT:-}
TAB=$(printf '\t')
NL='
'
# Old busybox spells it `timeout -t SECS`; use timeout only if this form works.
if command -v timeout >/dev/null 2>&1 && timeout 5 true 2>/dev/null; then TO='timeout 5'; else TO=''; fi
# A probed program sees none of the caller's environment (LD_PRELOAD,
# JAVA_TOOL_OPTIONS, PHPRC, NODE_OPTIONS, TMPDIR, ...).
CLEAN='env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C'
ME=$(id -u 2>/dev/null) || ME=0

# rec TYPE FIELD...: one record; control characters in fields become spaces.
rec() {
	t=$1
	shift
	line=$t
	for f in "$@"; do
		f=$(printf '%s' "$f" | tr '\001-\037\177' '                                ')
		line="$line$TAB$f"
	done
	printf '%s\n' "$line"
}

facts() {
	h=$(hostname 2>/dev/null) || h=$(uname -n 2>/dev/null)
	rec H hostname "$h"
	rec H kernel "$(uname -r 2>/dev/null)"
	rec H arch "$(uname -m 2>/dev/null)"
	if [ -r "$R/proc/uptime" ]; then
		u=$(sed -n '1s/[. ].*//p' "$R/proc/uptime")
		case $u in '' | *[!0-9]*) ;; *) rec H uptime "$u" ;; esac
	fi
	rec H collected_at "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	if [ -r "$R/etc/machine-id" ]; then
		rec H machine_id "$(sed -n 1p "$R/etc/machine-id")"
	fi
	f=$R/etc/os-release
	[ -r "$f" ] || f=$R/usr/lib/os-release
	if [ -r "$f" ]; then
		# KEY=VALUE lines; one level of surrounding quotes removed.
		awk -v tab="$TAB" '
			/^[A-Za-z_][A-Za-z0-9_]*=/ {
				k = substr($0, 1, index($0, "=") - 1)
				v = substr($0, index($0, "=") + 1)
				if (v ~ /^".*"$/ || v ~ /^'\''.*'\''$/) v = substr(v, 2, length(v) - 2)
				gsub(/\\"/, "\"", v)
				gsub(/[[:cntrl:]]/, " ", v)
				print "O" tab k tab v
			}' "$f"
	else
		rec W "no /etc/os-release: operating system unknown"
	fi
}

# fields N: keep lines of N TAB-separated fields (extra TABs belong to the
# last field), prefix them with a record type and clean control characters.
fields() {
	awk -v n="$2" -v typ="$1" -v tab="$TAB" 'BEGIN { FS = "\t" }
	NF >= n {
		for (i = 1; i <= NF; i++) gsub(/[[:cntrl:]]/, " ", $i)
		line = typ
		for (i = 1; i < n; i++) line = line tab $i
		last = $n
		for (i = n + 1; i <= NF; i++) last = last " " $i
		print line tab last
	}'
}

packages() {
	if command -v rpm >/dev/null 2>&1; then
		# MODULARITYLABEL names the Application Stream a RHEL 8+ package was
		# built in; rpm before 4.14 (RHEL 7, Amazon Linux 2) does not know
		# the tag and refuses the whole query, so ask again without it.
		rpm -qa --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{VENDOR}\t%{MODULARITYLABEL}\n' 2>/dev/null ||
			rpm -qa --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{VENDOR}\n' 2>/dev/null | sed "s/\$/$TAB(none)/"
	fi | fields R 7
	if command -v dpkg-query >/dev/null 2>&1; then
		# Every package dpkg lists, with its status: removed-but-configured
		# (rc) and half-installed ones too, so the inventory matches
		# dpkg-query -W; only installed ones (second letter "i") are judged.
		{
			dpkg-query -W -f '${Package}\t${Version}\t${Architecture}\t${db:Status-Abbrev}\n' 2>/dev/null
			echo '#upkeep-apt'
			apt_index
		} | awk -v tab="$TAB" '
			BEGIN { FS = "\t" }
			# Phase 1: the installed list. Phase 2: "name arch version
			# component" from the apt indexes; the first index that lists
			# the exact name, architecture and version names the component.
			$0 == "#upkeep-apt" { apt = 1; next }
			!apt { sub(/ +$/, "", $4); n++; line[n] = $1 tab $2 tab $3 tab $4; key[n] = $1 " " $3 " " $2; want[$1 " " $3 " " $2] = 1; next }
			apt { split($0, a, " "); k = a[1] " " a[2] " " a[3]; if ((k in want) && !(k in comp)) comp[k] = a[4] }
			END { for (i = 1; i <= n; i++) print line[i] tab comp[key[i]] }' |
			fields D 5
	fi
}

# apt_index: "name arch version component" for every package of the apt
# indexes on disk (what apt last downloaded; nothing is fetched). The
# component is the part of the index file name before binary-ARCH, as in
# MIRROR_debian_dists_bookworm_main_binary-amd64_Packages. Compressed
# indexes (Acquire::GzipIndexes) are read when their tool exists.
apt_index() {
	for f in "$R"/var/lib/apt/lists/*_binary-*_Packages "$R"/var/lib/apt/lists/*_binary-*_Packages.gz \
		"$R"/var/lib/apt/lists/*_binary-*_Packages.lz4; do
		[ -f "$f" ] && [ -r "$f" ] || continue
		c=${f##*/}
		c=${c%%_binary-*}
		c=${c##*_}
		case $f in
		*.gz) command -v gzip >/dev/null 2>&1 || continue; gzip -dc "$f" 2>/dev/null ;;
		*.lz4) command -v lz4 >/dev/null 2>&1 || continue; lz4 -dc "$f" 2>/dev/null ;;
		*) cat "$f" ;;
		esac | grep -E '^(Package|Version|Architecture): ' | awk -v c="$c" '
			$1 == "Package:" { if (p != "") print p, a, v, c; p = $2; a = ""; v = "" }
			$1 == "Architecture:" { a = $2 }
			$1 == "Version:" { v = $2 }
			END { if (p != "") print p, a, v, c }'
	done
}

# owner PATH: the package that owns PATH, or nothing.
owner() {
	o=''
	if [ -n "$have_rpm" ]; then
		o=$(rpm -qf --qf '%{NAME}\n' "$1" 2>/dev/null | sed -n 1p) || o=''
		case $o in *' '*) o='' ;; esac
	fi
	if [ -z "$o" ] && [ -n "$have_dpkg" ]; then
		# "pkg[:arch][, pkg2]: /path"; diversion lines say "diversion by".
		o=$(dpkg-query -S "$1" 2>/dev/null | sed -n '/^diversion /d; s/[:,] .*//; s/:.*//; p' | sed -n 1p)
	fi
	printf '%s' "$o"
}

# trusted FILE: FILE (a resolved path under $R) and every directory above it,
# up to $R (/ on a host), belong to root (uid 0) and are writable by neither
# group nor others, so no other user can have placed or changed what would
# run as root. One ls for the whole chain; anything unexpected is untrusted.
# (Run by another user, the collector also trusts that user's own files:
# running them gives that user nothing.)
trusted() {
	t_p=$1
	set --
	while [ -n "$t_p" ] && [ "$t_p" != "$R" ]; do
		set -- "$@" "$t_p"
		t_p=${t_p%/*}
	done
	[ -n "$R" ] || set -- "$@" /
	ls -ldn "$@" 2>/dev/null | awk -v n=$# -v me="$ME" '
		{ c++; if (($3 != "0" && $3 != me) || substr($1, 6, 1) != "-" || substr($1, 9, 1) != "-") bad = 1 }
		END { exit (bad || c != n) }'
}

# from_files NAME FILE: the version line an install states in a file beside
# FILE, or nothing; a version read is a program not run.
from_files() {
	case $1 in
	java)
		# A JDK's or JRE's release file: JAVA_VERSION, and IMPLEMENTOR
		# (Oracle, Eclipse Adoptium, Amazon.com Inc., Red Hat, ...) so
		# the vendor is known, quoted as the file has it. The line does not
		# start like java -version's, which names Oracle's own JDK.
		h=${2%/bin/*}
		for rf in "$h/release" "${h%/jre}/release"; do
			[ -f "$rf" ] && [ -r "$rf" ] || continue
			awk '
				/^JAVA_VERSION=/ { v = substr($0, 14); gsub(/"/, "", v) }
				/^IMPLEMENTOR=/ { i = substr($0, 13); gsub(/"/, "", i) }
				END { if (v != "") { printf "release file: version \"%s\"", v; if (i != "") printf ", IMPLEMENTOR=\"%s\"", i; print "" } }' "$rf"
			return 0
		done
		;;
	node)
		hd=${2%/bin/*}/include/node/node_version.h
		[ -f "$hd" ] && [ -r "$hd" ] && awk '
			$1 == "#define" && $2 ~ /^NODE_(MAJOR|MINOR|PATCH)_VERSION$/ && $3 ~ /^[0-9]+$/ { v[$2] = $3 }
			END { if (v["NODE_MAJOR_VERSION"] != "" && v["NODE_MINOR_VERSION"] != "" && v["NODE_PATCH_VERSION"] != "")
				print "v" v["NODE_MAJOR_VERSION"] "." v["NODE_MINOR_VERSION"] "." v["NODE_PATCH_VERSION"] " (node_version.h)" }' "$hd"
		;;
	tomcat)
		# RELEASE-NOTES in CATALINA_HOME: "Apache Tomcat Version 9.0.85".
		rn=${2%/bin/version.sh}/RELEASE-NOTES
		[ -f "$rn" ] && [ -r "$rn" ] && awk '/Apache Tomcat Version [0-9]/ { sub(/^[ \t]+/, ""); sub(/[ \t\r]+$/, ""); print; exit }' "$rn"
		;;
	esac
	return 0
}

# probe NAME FILE ARGS...: print a B record for FILE (a path under $R).
probe() {
	name=$1
	file=$2
	shift 2
	[ -f "$file" ] && [ -x "$file" ] || return 0
	# Resolve links, so the file checked is the file run and a link cannot
	# be swapped in between.
	real=$file
	if command -v readlink >/dev/null 2>&1; then
		real=$(readlink -f "$file" 2>/dev/null) || real=''
	elif [ -L "$file" ]; then
		real=''
	fi
	case $real in
	"$R"/*) ;;
	*)
		rec W "probe ${file#"$R"} skipped: cannot resolve where it links to"
		return 0
		;;
	esac
	case "$NL$seen$NL" in *"$NL$real$NL"*) return 0 ;; esac
	seen="$seen$NL$real"
	path=${real#"$R"}
	out=$(from_files "$name" "$real")
	run=''
	case $name:$out in
	:* | *:) run=1 ;;
	# Oracle's JDK and Oracle's OpenJDK builds both say Oracle Corporation;
	# only java -version's banner tells them apart, so a root-owned one runs.
	java:*'IMPLEMENTOR="Oracle Corporation"'*) trusted "$real" && run=1 ;;
	esac
	if [ -n "$run" ]; then
		if ! trusted "$real"; then
			rec W "probe $path skipped: not run as root, since it or a directory above it is not root's or is writable by others"
			return 0
		fi
		raw=$(
			cd / || exit 126
			ulimit -c 0 2>/dev/null
			$TO $CLEAN "$real" "$@" </dev/null 2>&1
		)
		st=$?
		case $st in
		126 | 127)
			# It does not run here: a pyenv or rbenv shim of a version that is
			# not installed, or a binary built for another machine. Not middleware.
			rec W "probe $path skipped: exit status $st"
			return 0
			;;
		esac
		case $name:$out in
		tomcat:*) out=$(printf '%s\n' "$raw" | awk '/^Server number:/ { print; exit }') ;;
		java:release*) out="$(printf '%s\n' "$raw" | awk 'NF { print; exit }') (release file: IMPLEMENTOR=\"Oracle Corporation\")" ;;
		*) out=$(printf '%s\n' "$raw" | awk 'NF { print; exit }') ;;
		esac
	fi
	rec B "$name" "$path" "$(owner "$path")" "$out"
}

# probe_file FILE: probe FILE by its base name, if it is a known program.
probe_file() {
	case ${1##*/} in
	nginx) probe nginx "$1" -v ;;
	httpd) probe httpd "$1" -v ;;
	apache2) probe apache2 "$1" -v ;;
	# -n: no php.ini, whose extensions and settings could write or hang.
	php | php[0-9].[0-9]) probe php "$1" -n -v ;;
	php-fpm | php-fpm[0-9].[0-9]) probe php-fpm "$1" -n -v ;;
	# No hsperfdata_root in /tmp.
	java) probe java "$1" -XX:-UsePerfData -version ;;
	node | nodejs) probe node "$1" --version ;;
	python3 | python3.[0-9] | python3.[0-9][0-9]) probe python3 "$1" --version ;;
	ruby) probe ruby "$1" --version ;;
	redis-server) probe redis-server "$1" --version ;;
	valkey-server) probe valkey-server "$1" --version ;;
	mysqld) probe mysqld "$1" --version ;;
	mariadbd) probe mariadbd "$1" --version ;;
	postgres) probe postgres "$1" --version ;;
	memcached) probe memcached "$1" -V ;;
	haproxy) probe haproxy "$1" -v ;;
	openssl) probe openssl "$1" version ;;
	version.sh)
		# Only Tomcat's own version.sh, next to its catalina.sh: a script
		# that merely shares the name is never run.
		[ -f "${1%/*}/catalina.sh" ] && probe tomcat "$1"
		;;
	esac
}

probes() {
	seen=''
	dirs='/usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin'
	if [ -z "$R" ]; then dirs="$dirs $(printf '%s' "$PATH" | tr ':' ' ')"; fi
	for d in $dirs; do
		case $d in /*) ;; *) continue ;; esac
		for f in "$R$d"/nginx "$R$d"/httpd "$R$d"/apache2 "$R$d"/php "$R$d"/php[0-9].[0-9] \
			"$R$d"/php-fpm "$R$d"/php-fpm[0-9].[0-9] "$R$d"/java "$R$d"/node "$R$d"/nodejs \
			"$R$d"/python3 "$R$d"/python3.[0-9] "$R$d"/python3.[0-9][0-9] "$R$d"/ruby \
			"$R$d"/redis-server "$R$d"/valkey-server "$R$d"/mysqld "$R$d"/mariadbd "$R$d"/postgres \
			"$R$d"/memcached "$R$d"/haproxy "$R$d"/openssl; do
			probe_file "$f"
		done
	done
	# Packaged servers off $PATH, and Tomcat's version script.
	for f in "$R"/usr/lib/postgresql/*/bin/postgres "$R"/usr/pgsql-*/bin/postgres \
		"$R"/usr/lib/jvm/*/bin/java "$R"/usr/lib/jvm/*/jre/bin/java \
		"$R"/usr/share/tomcat*/bin/version.sh "$R"/usr/libexec/tomcat*/version.sh; do
		probe_file "$f"
	done
	# Hand-built and vendor installs: a bounded walk, never the whole disk.
	# The loop runs in a subshell: what it adds to $seen is not needed after.
	$TO find "$R/usr/local" "$R/opt" -xdev -maxdepth 6 -type f \( -name nginx -o -name httpd \
		-o -name apache2 -o -name php -o -name php-fpm -o -name java -o -name node \
		-o -name python3 -o -name ruby -o -name redis-server -o -name valkey-server -o -name mysqld -o -name mariadbd \
		-o -name postgres -o -name memcached -o -name haproxy -o -name openssl -o -name version.sh \) \
		2>/dev/null | sort | while IFS= read -r f; do probe_file "$f"; done
}

services() {
	if ! command -v systemctl >/dev/null 2>&1; then
		rec W "systemctl not found: running services unknown"
		return 0
	fi
	# --plain drops the status bullet; systemd too old for it gets the
	# plain call, and the awk below skips a bullet either way.
	if ! out=$(systemctl list-units --type=service --state=running --no-legend --no-pager --plain 2>&1) &&
		! out=$(systemctl list-units --type=service --state=running --no-legend --no-pager 2>&1); then
		rec W "systemctl list-units failed: $(printf '%s' "$out" | sed -n 1p)"
		return 0
	fi
	printf '%s\n' "$out" | awk -v tab="$TAB" '
		{ u = ($1 ~ /\.service$/) ? $1 : $2 }
		u ~ /\.service$/ { print "S" tab u tab "running" }' | sort -u
}

# Listening sockets: ss, else netstat, else the kernel's tables (no names).
# ss and netstat name a process id; /proc/PID/exe gives its executable.
listeners() {
	if command -v ss >/dev/null 2>&1 && out=$(ss -tlnp 2>/dev/null); then
		printf '%s\n' "$out" | awk '
			$1 == "LISTEN" {
				a = $4; i = match(a, /:[^:]*$/)
				port = substr(a, i + 1); addr = substr(a, 1, i - 1)
				gsub(/^\[|\]$/, "", addr); sub(/%.*/, "", addr)
				proto = (addr ~ /:/) ? "tcp6" : "tcp"
				p = ""; pid = ""
				if (match($0, /users:\(\("[^"]*"/)) p = substr($0, RSTART + 9, RLENGTH - 10)
				if (match($0, /pid=[0-9]+/)) pid = substr($0, RSTART + 4, RLENGTH - 4)
				gsub(/[[:cntrl:]]/, " ", p)
				print proto "\001" addr "\001" port "\001" p "\001" pid
			}' | sort -u | with_exe
	elif command -v netstat >/dev/null 2>&1 && out=$(netstat -tlnp 2>/dev/null); then
		printf '%s\n' "$out" | awk '
			$6 == "LISTEN" && ($1 == "tcp" || $1 == "tcp6") {
				a = $4; i = match(a, /:[^:]*$/)
				p = $7; pid = ""
				if (match(p, /^[0-9]+\//)) pid = substr(p, 1, RLENGTH - 1)
				sub(/^[0-9]*\//, "", p); sub(/[: ].*/, "", p); if (p == "-") p = ""
				gsub(/[[:cntrl:]]/, " ", p)
				print $1 "\001" substr(a, 1, i - 1) "\001" substr(a, i + 1) "\001" p "\001" pid
			}' | sort -u | with_exe
	else
		rec W "ss and netstat not found: listening sockets read from /proc/net/tcp, without process names"
		for t in tcp tcp6; do
			[ -r "$R/proc/net/$t" ] || continue
			awk -v tab="$TAB" -v proto="$t" '
				function hex(s,  i, n) { n = 0; for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789ABCDEF", toupper(substr(s, i, 1))) - 1; return n }
				NR > 1 && $4 == "0A" {
					split($2, a, ":"); h = a[1]; addr = ""
					if (length(h) == 8) {
						for (i = 7; i >= 1; i -= 2) addr = addr (addr == "" ? "" : ".") hex(substr(h, i, 2))
					} else {
						for (w = 0; w < 4; w++) for (i = 7; i >= 1; i -= 2) {
							addr = addr substr(h, w * 8 + i, 2)
							if (length(addr) % 5 == 4 && !(w == 3 && i == 1)) addr = addr ":"
						}
						addr = tolower(addr)
					}
					print "L" tab proto tab addr tab hex(a[2]) tab "" tab "" tab ""
				}' "$R/proc/net/$t"
		done | sort -u
	fi
}

# with_exe: reads "proto addr port process pid" lines (\001-separated, so an
# empty field stays a field) and prints L records with the executable of the
# process and the package that owns it. readlink without -f: the kernel's
# answer as is, " (deleted)" included when the file was replaced since the
# process started (upgraded, not restarted).
with_exe() {
	SOH=$(printf '\001')
	while IFS=$SOH read -r proto addr port p pid; do
		exe=''
		own=''
		case $pid in
		'' | *[!0-9]*) ;;
		*) exe=$(readlink "$R/proc/$pid/exe" 2>/dev/null) || exe='' ;;
		esac
		case $exe in
		/*) own=$(owner "${exe% (deleted)}") ;;
		*) exe='' ;;
		esac
		rec L "$proto" "$addr" "$port" "$p" "$exe" "$own"
	done
}

# support: the vendor's support statements for installed packages, read from
# the data file dnf-plugin-support-info ships (Amazon Linux 2023; the file
# `dnf supportinfo` itself answers from). dnf is not run: it writes logs and
# caches and may go to the network. Statements look like
#   <statement end_date="2028-03-15" id="eol_nginx" marker="supported" ...>
#     <packages><package name="nginx" .../></packages></statement>
# and give each listed package the statement's marker and end date.
support() {
	[ -n "$have_rpm" ] || return 0
	for x in "$R"/usr/lib/python3*/site-packages/dnf-plugins/support_info.xml; do
		[ -f "$x" ] && [ -r "$x" ] || continue
		{
			printf '%s\n' "$pk" | awk -v tab="$TAB" 'BEGIN { FS = tab } $1 == "R" { print $2 }'
			echo '#upkeep-xml'
			cat "$x"
		} | awk -v tab="$TAB" '
			function attr(s, k,  r) { r = ""; if (match(s, k "=\"[^\"]*\"")) r = substr(s, RSTART + length(k) + 2, RLENGTH - length(k) - 3); return r }
			$0 == "#upkeep-xml" { xml = 1; next }
			!xml { installed[$0] = 1; next }
			/<statement[ >]/ { level = attr($0, "marker"); ends = attr($0, "end_date") }
			/<\/statement>/ { level = ""; ends = "" }
			/<package[ \/]/ && level != "" {
				n = attr($0, "name")
				if ((n in installed) && !(n in done)) {
					done[n] = 1
					if (ends !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/) ends = ""
					gsub(/[[:cntrl:]]/, " ", level)
					print "U" tab n tab level tab ends tab "dnf supportinfo (support_info.xml)"
				}
			}'
		return 0
	done
}

# security_lists: Debian's debian-security-support lists, for installed
# packages: security-support-ended.debN (N: this host's Debian release,
# from /etc/debian_version) names source packages whose security support
# ended or ends before the release's, security-support-limited those whose
# support is limited; check-support-status reads the same files. Lines are
# "source [last-version date] note", separated by spaces. The source is a
# full match on the source package name; the lists use .* as a wildcard
# (golang.*): a name with .* is matched as a pattern of [a-z0-9.+-] and .*
# (+ taken literally), any other as a plain name, so no list line can be
# an awk error. One Y record per installed binary package and list that
# names it; at most 1000 records, notes cut at 200 characters.
security_lists() {
	[ -n "$have_dpkg" ] || return 0
	sd=$R/usr/share/debian-security-support
	[ -d "$sd" ] || return 0
	rel=''
	[ -r "$R/etc/debian_version" ] && rel=$(sed -n '1s/[.].*//p' "$R/etc/debian_version")
	# Ubuntu says "trixie/sid" here: its copy of the lists is Debian's.
	case $rel in '' | *[!0-9]*) return 0 ;; esac
	{
		dpkg-query -W -f '${Package}\t${source:Package}\t${db:Status-Abbrev}\n' 2>/dev/null
		for l in "$sd/security-support-ended.deb$rel" "$sd/security-support-limited"; do
			[ -f "$l" ] && [ -r "$l" ] || continue
			printf '#upkeep-list %s\n' "${l##*/}"
			sed -n 1,2000p "$l"
		done
	} | awk -v tab="$TAB" '
		BEGIN { FS = "\t" }
		/^#upkeep-list / { list = substr($0, 14); kind = (list ~ /limited/) ? "limited" : "ended"; next }
		list == "" {
			st = $3; sub(/ +$/, "", st)
			if (substr(st, 2, 1) == "n" || substr(st, 2, 1) == "c" || $1 == "" || ($1 in src)) next
			# Without source:Package (dpkg before 1.16.2) the name is the source.
			s = $2; if (s == "") s = $1
			n++; pkg[n] = $1; src[$1] = s; of[s] = of[s] SUBSEP $1
			next
		}
		{
			line = $0; gsub(/[[:cntrl:]]/, " ", line); sub(/^ +/, "", line)
			if (line == "" || substr(line, 1, 1) == "#") next
			split(line, f, / +/)
			pat = f[1]; ver = ""; day = ""; skip = 1
			if (kind == "ended") { ver = f[2]; day = f[3]; skip = 3 }
			note = line
			for (i = 1; i <= skip; i++) sub(/^[^ ]+ */, "", note)
			if (day !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/) day = ""
			note = substr(note, 1, 200)
			k = 0
			if (index(pat, ".*") && pat ~ /^([a-z0-9.+-]|\.\*)+$/) {
				re = pat; gsub(/\+/, "[+]", re); re = "^(" re ")$"
				for (i = 1; i <= n; i++) if (src[pkg[i]] ~ re) hit[++k] = pkg[i]
			} else if (pat in of) {
				k = split(substr(of[pat], 2), hit, SUBSEP)
			}
			for (i = 1; i <= k; i++) {
				b = hit[i]
				if ((b SUBSEP list) in done) continue
				done[b SUBSEP list] = 1
				if (++out > 1000) { over = 1; continue }
				print "Y" tab b tab src[b] tab list tab kind tab ver tab day tab note
			}
		}
		END { if (over) print "W" tab "debian-security-support: more than 1000 installed packages are listed; only the first 1000 are recorded" }'
}

main() {
	facts
	pk=$(packages)
	[ -n "$pk" ] && printf '%s\n' "$pk"
	# Owners are asked only of a package manager that has packages here: a
	# Debian host may carry an rpm binary with an empty database.
	have_rpm=''
	have_dpkg=''
	case "$NL$pk" in *"${NL}R$TAB"*) have_rpm=1 ;; esac
	case "$NL$pk" in *"${NL}D$TAB"*) have_dpkg=1 ;; esac
	if [ -z "$pk" ]; then
		rec W "no installed packages found (rpm and dpkg-query missing or empty)"
	fi
	[ -n "$TO" ] || rec W "timeout not usable: probed binaries run without a time limit"
	probes
	services
	listeners
	support
	security_lists
}

# Without cksum the output cannot be framed; fail loudly rather than print
# something a parser would have to guess about.
if ! command -v cksum >/dev/null 2>&1; then
	echo "upkeep collector: cksum not found (coreutils or a busybox with cksum is needed)" >&2
	exit 1
fi
body=$(main)
set -- $(printf '%s\n' "$body" | cksum)
count=$(printf '%s\n' "$body" | wc -l)
plain=$(printf '#upkeep-collector 3\n%s\n#upkeep-end %s %s %s' "$body" $count "$1" "$2")
# SSM keeps only 24,000 characters of output: compress big outputs.
if [ ${#plain} -gt 16000 ] && command -v gzip >/dev/null 2>&1 && command -v base64 >/dev/null 2>&1; then
	printf '#upkeep-gzip 1\n'
	printf '%s\n' "$plain" | gzip -c | base64
	printf '#upkeep-gzip-end\n'
else
	printf '%s\n' "$plain"
fi
