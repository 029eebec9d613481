#!/usr/bin/env bash
# bench.sh: the "Judging at scale" run of docs/benchmarks.md. For each fleet
# it generates synthetic collector outputs (internal/synth), times the
# sqlite3 shell's .import of the same package rows as the yardstick, then
# times upkeep scan --import and every judging command, each as a whole
# process with its peak RSS, and prints one Markdown table row per command
# with its time as a ratio of the yardstick's.
#
# Run from the repository root with sqlite3 and GNU time (/usr/bin/time):
#
#   docs/bench.sh                       # 10,000 and 100,000 hosts, and 10,000 all drifted
#   FLEETS="10000:10" docs/bench.sh     # one fleet: HOSTS:DRIFT_EVERY
#   FLEETS="100000:10" KEPT=3 docs/bench.sh
#                                       # the fleet imported twice more before the timed
#                                       # import, each of those scans judged once by check
#                                       # (which records its counts), so that the report
#                                       # draws three scans in its burn-down
#
# It needs about 4 GB of free disk for the 100,000-host fleet, and deletes
# everything it wrote when it ends.
set -euo pipefail

fleets=${FLEETS:-"10000:10 100000:10 10000:1"}
kept=${KEPT:-1}
at=2026-11-24
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

go build -o "$d/upkeep" ./cmd/upkeep
go build -o "$d/synthfleet" ./internal/synth/cmd/synthfleet

echo "load before: $(uptime)"
echo
echo "| hosts | drift | command | wall | peak RSS | ÷ sqlite3 .import |"
echo "| ---: | --- | --- | ---: | ---: | ---: |"

# measure LABEL CMD...: runs CMD under GNU time, sets $secs and $kb.
measure() {
	local label=$1
	shift
	if ! /usr/bin/time -f "%e %M" -o "$d/time" "$@" >/dev/null 2>"$d/stderr"; then
		echo "$label failed:" >&2
		cat "$d/stderr" >&2
		exit 1
	fi
	read -r secs kb <"$d/time"
}

row() { # hosts drift label
	awk -v n="$1" -v drift="$2" -v label="$3" -v s="$secs" -v kb="$kb" -v y="$yard" 'BEGIN {
		printf "| %d | %s | %s | %.2f s | %.0f MiB | %.2f |\n", n, drift, label, s, kb / 1024, s / y }'
}

for f in $fleets; do
	n=${f%%:*}
	every=${f##*:}
	drift="1 in $every"
	[ "$every" = 1 ] && drift="every host"
	rm -rf "$d/fleet" "$d/fleet.tsv" "$d/up.db"* "$d/sq.db"
	"$d/synthfleet" -n "$n" -seed 1 -drift-every "$every" -out "$d/fleet" -tsv "$d/fleet.tsv" >/dev/null 2>&1
	printf '%s\n' 'CREATE TABLE host_packages (host TEXT, manager TEXT, name TEXT, epoch TEXT, version TEXT, release TEXT, arch TEXT, vendor TEXT, status TEXT);' \
		'.mode tabs' ".import $d/fleet.tsv host_packages" >"$d/import.sql"

	measure "sqlite3 .import" sh -c "sqlite3 '$d/sq.db' < '$d/import.sql'"
	yard=$secs
	row "$n" "$drift" "sqlite3 .import (the yardstick)"
	rm -f "$d/sq.db"

	# Earlier scans of the same outputs, each judged once by check, which
	# records the counts the report's burn-down draws.
	for ((k = 1; k < kept; k++)); do
		measure "earlier scan --import" "$d/upkeep" --db "$d/up.db" scan --import "$d/fleet" -q
		row "$n" "$drift" "upkeep scan --import (earlier scan $k)"
		measure "check --scan $k" "$d/upkeep" --db "$d/up.db" check --scan "$k" --at "$at"
		row "$n" "$drift" "upkeep check --scan $k (records its counts)"
	done

	measure "scan --import" "$d/upkeep" --db "$d/up.db" scan --import "$d/fleet" -q
	row "$n" "$drift" "upkeep scan --import"
	rm -rf "$d/fleet" "$d/fleet.tsv"

	for c in check readiness plan report; do
		args=("$c" --at "$at")
		[ "$c" = report ] && args+=(--out "$d/report.html")
		measure "$c" "$d/upkeep" --db "$d/up.db" "${args[@]}"
		row "$n" "$drift" "upkeep $c"
	done
	[ "$kept" -gt 1 ] && echo "| | | burn-down | $(sqlite3 "$d/up.db" 'SELECT COUNT(DISTINCT scan_id) FROM scan_summaries') scans with counts | | |"
	echo "| | | database | $(stat -c %s "$d/up.db") bytes | | |"
done

echo
echo "load after: $(uptime)"
