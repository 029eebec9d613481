#!/bin/sh
# upkeep collector, output format 1 (docs/collector-format.md in the upkeep
# source). It prints what this host runs: host facts, /etc/os-release, every
# installed rpm/dpkg package, the version of middleware binaries it finds
# (packaged or hand-built), running systemd services and listening TCP sockets.
#
# Read-only by design: it writes no file (not even in /tmp), installs, starts
# and restarts nothing, never prompts and never uses the network. Probed
# binaries are only asked for their version, with stdin closed and, where
# `timeout` exists, a 5-second limit each.
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
		rpm -qa --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{VENDOR}\n' 2>/dev/null | fields R 6
	fi
	if command -v dpkg-query >/dev/null 2>&1; then
		# Every package dpkg lists, with its status: removed-but-configured
		# (rc) and half-installed ones too, so the inventory matches
		# dpkg-query -W; only installed ones (second letter "i") are judged.
		dpkg-query -W -f '${Package}\t${Version}\t${Architecture}\t${db:Status-Abbrev}\n' 2>/dev/null |
			awk -v OFS="$TAB" 'BEGIN { FS = "\t" } { sub(/ +$/, "", $4); print }' |
			fields D 4
	fi
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

# probe NAME FILE ARGS...: print a B record for FILE (a path under $R).
probe() {
	name=$1
	file=$2
	shift 2
	[ -f "$file" ] && [ -x "$file" ] || return 0
	real=$file
	if [ -z "$R" ] && command -v readlink >/dev/null 2>&1; then
		real=$(readlink -f "$file" 2>/dev/null) || real=$file
	fi
	case "$NL$seen$NL" in *"$NL$real$NL"*) return 0 ;; esac
	seen="$seen$NL$real"
	path=${real#"$R"}
	raw=$($TO "$file" "$@" </dev/null 2>&1)
	st=$?
	case $st in
	126 | 127)
		# It does not run here: a pyenv or rbenv shim of a version that is
		# not installed, or a binary built for another machine. Not middleware.
		rec W "probe $path skipped: exit status $st"
		return 0
		;;
	esac
	if [ "$name" = tomcat ]; then
		out=$(printf '%s\n' "$raw" | awk '/^Server number:/ { print; exit }')
	else
		out=$(printf '%s\n' "$raw" | awk 'NF { print; exit }')
	fi
	rec B "$name" "$path" "$(owner "$path")" "$out"
}

# probe_file FILE: probe FILE by its base name, if it is a known program.
probe_file() {
	case ${1##*/} in
	nginx) probe nginx "$1" -v ;;
	httpd) probe httpd "$1" -v ;;
	apache2) probe apache2 "$1" -v ;;
	php | php[0-9].[0-9]) probe php "$1" -v ;;
	php-fpm | php-fpm[0-9].[0-9]) probe php-fpm "$1" -v ;;
	java) probe java "$1" -version ;;
	node | nodejs) probe node "$1" --version ;;
	python3 | python3.[0-9] | python3.[0-9][0-9]) probe python3 "$1" --version ;;
	ruby) probe ruby "$1" --version ;;
	redis-server) probe redis-server "$1" --version ;;
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
			"$R$d"/redis-server "$R$d"/mysqld "$R$d"/mariadbd "$R$d"/postgres \
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
		-o -name python3 -o -name ruby -o -name redis-server -o -name mysqld -o -name mariadbd \
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
listeners() {
	if command -v ss >/dev/null 2>&1 && out=$(ss -tlnp 2>/dev/null); then
		printf '%s\n' "$out" | awk -v tab="$TAB" '
			$1 == "LISTEN" {
				a = $4; i = match(a, /:[^:]*$/)
				port = substr(a, i + 1); addr = substr(a, 1, i - 1)
				gsub(/^\[|\]$/, "", addr); sub(/%.*/, "", addr)
				proto = (addr ~ /:/) ? "tcp6" : "tcp"
				p = ""
				if (match($0, /users:\(\("[^"]*"/)) p = substr($0, RSTART + 9, RLENGTH - 10)
				print "L" tab proto tab addr tab port tab p
			}' | sort -u
	elif command -v netstat >/dev/null 2>&1 && out=$(netstat -tlnp 2>/dev/null); then
		printf '%s\n' "$out" | awk -v tab="$TAB" '
			$6 == "LISTEN" && ($1 == "tcp" || $1 == "tcp6") {
				a = $4; i = match(a, /:[^:]*$/)
				p = $7; sub(/^[0-9]*\//, "", p); sub(/[: ].*/, "", p); if (p == "-") p = ""
				print "L" tab $1 tab substr(a, 1, i - 1) tab substr(a, i + 1) tab p
			}' | sort -u
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
					print "L" tab proto tab addr tab hex(a[2]) tab ""
				}' "$R/proc/net/$t"
		done | sort -u
	fi
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
plain=$(printf '#upkeep-collector 1\n%s\n#upkeep-end %s %s %s' "$body" $count "$1" "$2")
# SSM keeps only 24,000 characters of output: compress big outputs.
if [ ${#plain} -gt 16000 ] && command -v gzip >/dev/null 2>&1 && command -v base64 >/dev/null 2>&1; then
	printf '#upkeep-gzip 1\n'
	printf '%s\n' "$plain" | gzip -c | base64
	printf '#upkeep-gzip-end\n'
else
	printf '%s\n' "$plain"
fi
