// Package registry is everything upkeep knows about a product, in one place:
// one YAML file per product under products/ (named after its endoflife.date
// slug), plus os.yaml (operating systems and their family-wide vendor
// rules) and repositories.yaml (repository families). The files are
// embedded; the judge (advisories), readiness and the planner read only
// this package, so they cannot disagree.
//
// A product file, top to bottom:
//
//	product: php              # endoflife.date slug; the file is products/php.yaml
//	label: PHP
//	notes: free text
//	sources:                  # every fact below names one of these by id
//	  - {id: al2023-php, url: https://..., retrieved: 2026-12-01, about: what it says}
//	packages:                 # package-name rules, tried in order (products in file-name order)
//	  - pattern: 'php(?P<c>\d\.\d)-fpm'   # anchored regexp; group "c" names the release line
//	    manager: rpm          # rpm or dpkg; omitted: both
//	    role: runtime         # server, runtime, module, library, client, config, tooling
//	    primary: true         # its version is the product's on the host (default: server or runtime)
//	    repo: ius             # the repositories.yaml family that alone ships this name
//	    dot: 1                # "c" has no dot: insert one after this many digits (php74 -> 7.4)
//	    java: true            # Java version strings (1.8.0.432.b06, 8u432-ga, 17.0.13+11)
//	    version: '1\.\d+\..*' # the upstream version must match (kubectl 528.0.0 is not Kubernetes)
//	probes:                   # binaries the collector probes
//	  - {name: java, output: 'Corretto'}  # with output: wins over a plain {name: java}
//	processes: [php-fpm]      # unit/process prefixes, used only when the owning package is unknown
//	vendor_support:           # how long the OS vendor patches its own build; first match wins
//	  - os: amazon-linux      # OS product slug, or family "el" (RHEL, CentOS, Rocky, Alma, Oracle)
//	    os_cycle: "2023"      # omitted: every release
//	    packages: 'php8\..*'  # anchored regexp on the package name; omitted: any
//	    lines: ["8.1"]        # product cycles; omitted: any
//	    stream: "7.4"         # RHEL module stream (MODULARITYLABEL name:STREAM:...)
//	    modular: false        # only non-modular (false) or modular (true) builds
//	    collection: rh-php73  # Software Collection; "*" any (os.yaml)
//	    component: universe   # Ubuntu archive component when the host does not record it
//	    support: upstream     # os (the OS release's life), upstream (upstream's dates), until (the date below)
//	    until: "2021-05-31"
//	    source: al2023-php    # required: the id of one of this file's sources
//	al2023:                   # Amazon Linux 2023 names beyond its package list
//	  base: php               # the un-namespaced name
//	  compatible_within_major: true
//	  later: [{name: php8.3, line: "8.3"}]
//	  client: "the ... client AL2023 ships"  # remedy for hosts with only the client (databases)
//	ships:                    # what each OS release's own repositories ship, one row per line
//	  - {os: amazon-linux, os_cycle: "2023", cycle: "8.4", packages: [php8.4, php8.4-fpm],
//	     support: upstream, source: al2023-php, note: "..."}  # support: os, upstream, or until (with until: YYYY-MM-DD); cycle "-": none
//	replacements:             # products an OS release ships in this one's place
//	  - {os: amazon-linux, os_cycle: "2023", with: valkey, label: Valkey, cycle: "8",
//	     packages: [valkey], support: os, use: plan, source: ..., note: ...}  # use: plan or note
//	breaking:                 # known breaking transitions between cycles
//	  - {from: "7", to: "8", summary: "...", source: php-migration80}  # prefixes, or "<1.25", ">=1.25"
//	links:                    # libraries it links: their cycle change comes first (plan)
//	  - {product: openssl, source: php-openssl-requirements}
//	runtime: php              # runtime group of a language runtime whose applications use database drivers (java: every JDK build)
//	runs_on:                  # the runtime group, or any product, it runs on (tomcat.yaml; rabbitmq.yaml: erlang)
//	  - {runtime: java, source: tomcat-whichversion}
//	database:                 # a database server (mysql.yaml)
//	  family: mysql           # protocol family: mariadb.yaml says mysql too
//	  drivers: [mysqlnd, pymysql]  # parts of package names that carry a runtime's driver for it
//	  source: mysql-connectors
//	upgrade_path:             # how the data moves between majors (plan steps' notes)
//	  action: "..."           # the data migration of one hop
//	  rollback: "..."
//	  restart: "..."
//	  rebuilt: "..."          # before the action when the hop runs on a rebuilt OS release
//	  source: mysql-84-upgrade-paths
//	  hops:                   # series an in-place upgrade may not skip, oldest first; none: any jump is one step
//	    - {from: "5.7", to: "8.0", source: mysql-80-upgrade-paths}
//	readiness:                # AL2023 readiness beyond what AL2023 ships (eclipse-temurin.yaml)
//	  instead: {product: amazon-corretto, same_cycle: true, like: "", source: ...}  # AL2023's product in this one's place
//	  rules:                  # first match rewords or reweighs the entry
//	    - {availability: [removed], cycles: ["2.7"], severity: high, inhibitor: false,
//	       summary: "{what}: ...", remediation: "...", target: instance, reason: "...", source: ...}
//
// A probe rule says java: true when its binary prints a Java version.
// An os.yaml family's cycles row says how VERSION_ID names a cycle beyond
// its first parts numbers: {stream_product, stream_from} for a rolling
// successor (centos-stream), {whole} for versions that are a cycle as
// written (Amazon Linux 1's 2018.03). A repositories.yaml family's
// vendor_on lists the os-release IDs whose own repositories ship it
// (Corretto on amzn): its builds are the OS vendor's there.
// os.yaml adds transitions (breaking moves between OS releases: {os, from,
// to, summary, source}), move_packages (OS packages the move replaces as
// part of the OS itself: {os, os_cycle, packages, remediation, source}),
// tools (how an OS release installs and looks up packages and moves to a
// later release, first match wins: {os: product or family, os_cycle:
// prefix or comparison such as "<8", installer: "dnf install", query: "dnf
// list --available '{package}*'", upgrade: "... {label} {to}{path} ...",
// in_place: true when the release upgrade carries installed packages
// along, lts_path: true with lts_source when an LTS release's upgrade goes
// to the next LTS release, source}; an OS release with no row gets no command, and the
// planner and readiness say so) and family_lines (the OS product whose
// releases stand for a family's: {family: el, product: rhel, label,
// source}); repositories.yaml adds targets (a vendor's repository that
// serves an OS release: {repository, product, os, os_cycle, install,
// source}), collections (Software Collection naming: {pattern, repository,
// source}) and absent (a family that does not serve an OS release:
// {repository, os, os_cycle, from, packages, note, source}). Every row of
// every section names a source id of its
// own file; the loader rejects unknown keys, URLs in place of ids and
// unknown ids, naming the file, the section and the row.
//
// A build is the OS vendor's when no package rule names a third-party
// repository for it and no repositories.yaml marker is in its release; its
// life cycle is then the first vendor_support rule that matches (the
// product's, then os.yaml's), and without one the OS release's own. The
// tests load every file, check every rule names a source, and run the
// truth table in advisories/testdata/truth.tsv.
package registry
