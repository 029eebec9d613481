#!/bin/sh
# Builds the AL2023 repository metadata the update tests serve: empty RPMs
# named and versioned like AL2023 packages, indexed by createrepo_c into
# the real repomd.xml + primary.xml.gz format. Run from this directory
# (needs rpmbuild and createrepo_c: Debian packages rpm and createrepo-c);
# only the repodata/ directories are kept.
set -eu
here=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# pkg NAME VERSION RELEASE OUTDIR
pkg() {
	cat > "$work/$1.spec" <<SPEC
Name: $1
Version: $2
Release: $3
Summary: upkeep test fixture
License: MIT
BuildArch: noarch
%description
An empty package named like the Amazon Linux 2023 one, for upkeep's tests.
%files
SPEC
	rpmbuild --quiet -bb --define "_topdir $work/top" --define "_rpmdir $4" \
		--define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" "$work/$1.spec" >/dev/null
}

# old: release 2023.8.20250808
old=$work/old; mkdir -p "$old"
pkg system-release 2023.8.20250808 0.amzn2023 "$old"
pkg nginx 1.26.3 1.amzn2023.0.1 "$old"
pkg php8.3 8.3.24 1.amzn2023.0.1 "$old"
pkg php8.3-fpm 8.3.24 1.amzn2023.0.1 "$old"
pkg mariadb105-server 10.5.29 1.amzn2023.0.1 "$old"
pkg nodejs20 20.19.4 1.amzn2023.0.1 "$old"

# new: release 2023.9.20251014, with lines the old one lacks
new=$work/new; mkdir -p "$new"
cp "$old"/*.rpm "$new"/
pkg system-release 2023.9.20251014 0.amzn2023 "$new"
pkg nginx 1.28.0 1.amzn2023.0.1 "$new"
pkg php8.4 8.4.13 1.amzn2023.0.1 "$new"
pkg php8.4-fpm 8.4.13 1.amzn2023.0.1 "$new"
pkg mariadb1011-server 10.11.14 1.amzn2023.0.1 "$new"
pkg nodejs22 22.20.0 1.amzn2023.0.1 "$new"
pkg valkey 8.0.6 1.amzn2023.0.1 "$new"

# spal: a supplementary repository
spal=$work/spal; mkdir -p "$spal"
pkg spal-release 2023.9.20251014 1.spal2023 "$spal"
pkg htop 3.3.0 1.spal2023 "$spal"

for d in old new spal; do
	createrepo_c --quiet --no-database --compress-type=gz --revision 1760400000 --set-timestamp-to-revision "$work/$d" >/dev/null
	rm -rf "$here/$d/repodata"
	mkdir -p "$here/$d"
	cp -r "$work/$d/repodata" "$here/$d/"
	rm -f "$here/$d/repodata/"*filelists* "$here/$d/repodata/"*other* 2>/dev/null || true
done
