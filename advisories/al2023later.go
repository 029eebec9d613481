package advisories

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"upkeep/registry"
)

// al2023LaterRow is one row of data/al2023-later.tsv: an AL2023 package
// of a release after the full 2023.1 list, with its own source.
type al2023LaterRow struct {
	name, version, release, line string
	al2023Release                string // "-" when the source is a current page, not a release's notes
	source, retrieved            string
}

// parseAL2023Later reads data/al2023-later.tsv. Every row needs a name, a
// line, a source URL and its retrieval day; a version without a release
// (or the reverse) is refused, so a row never claims half a build.
func parseAL2023Later(b []byte) ([]al2023LaterRow, error) {
	var out []al2023LaterRow
	for i, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "name\t") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("line %d: want 7 columns, got %d", i+1, len(f))
		}
		r := al2023LaterRow{name: f[0], version: f[1], release: f[2], line: f[3], al2023Release: f[4], source: f[5], retrieved: f[6]}
		switch {
		case r.name == "" || r.line == "":
			return nil, fmt.Errorf("line %d: a row needs a package name and a line", i+1)
		case (r.version == "") != (r.release == ""):
			return nil, fmt.Errorf("line %d (%s): version and release go together", i+1, r.name)
		case r.release != "" && !strings.Contains(r.release, "amzn2023"):
			return nil, fmt.Errorf("line %d (%s): release %q is not an AL2023 build", i+1, r.name, r.release)
		case !strings.HasPrefix(r.source, "https://"):
			return nil, fmt.Errorf("line %d (%s): no source URL", i+1, r.name)
		}
		if _, err := time.Parse(time.DateOnly, r.retrieved); err != nil {
			return nil, fmt.Errorf("line %d (%s): retrieved %q is not a date", i+1, r.name, r.retrieved)
		}
		if r.al2023Release != "-" {
			if _, err := releaseDate(r.al2023Release); err != nil {
				return nil, fmt.Errorf("line %d (%s): %w", i+1, r.name, err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// addLater adds the rows of data/al2023-later.tsv to the embedded data and
// records which releases they describe, for 'data status'.
func (a *al2023Data) addLater(m *registry.Registry) error {
	b, err := dataFS.ReadFile("data/al2023-later.tsv")
	if err != nil {
		return fmt.Errorf("read embedded AL2023 later packages: %w", err)
	}
	rows, err := parseAL2023Later(b)
	if err != nil {
		return fmt.Errorf("embedded AL2023 later packages: %w", err)
	}
	var rels []string // AL2023 releases the rows describe
	guide := ""       // retrieval day of rows from a current user-guide page
	for _, r := range rows {
		a.names[r.name] = true
		// The product comes from the registry's name patterns; a row that
		// names only the line is mapped by its line, and only the line is
		// kept: no version is made up for it.
		vr := r.version + "-" + r.release
		if r.version == "" {
			vr = r.line + "-0.amzn2023"
		}
		mt, ok := m.Map("rpm", r.name, vr)
		if !ok || !mt.Primary {
			continue
		}
		o := al2023Offer{name: r.name, line: r.line}
		if r.version != "" {
			o.upstream = mt.Upstream
		}
		a.offers[mt.Product] = append(a.offers[mt.Product], o)
		switch {
		case r.al2023Release == "-":
			guide = max(guide, r.retrieved)
		case !slices.Contains(rels, r.al2023Release):
			rels = append(rels, r.al2023Release)
		}
	}
	a.later = describeLater(rels, guide)
	return nil
}

// describeLater names the releases the later rows come from, oldest to
// newest by release day ("2023.2.20230920" is older than
// "2023.12.20260831", which a plain string sort gets wrong): every release
// when there are at most two, else the first and the newest.
func describeLater(rels []string, guide string) string {
	slices.SortFunc(rels, func(x, y string) int {
		dx, _ := releaseDate(x) // the rows were validated on parsing
		dy, _ := releaseDate(y)
		return cmp.Or(strings.Compare(dx, dy), strings.Compare(x, y))
	})
	var parts []string
	switch {
	case len(rels) > 2:
		parts = append(parts, fmt.Sprintf("releases %s to %s (%d releases)", rels[0], rels[len(rels)-1], len(rels)))
	case len(rels) > 0:
		parts = append(parts, strings.Join(rels, ", "))
	}
	if guide != "" {
		parts = append(parts, "the AL2023 user guide ("+guide+")")
	}
	return strings.Join(parts, ", ")
}

// AL2023Later names what the embedded rows newer than the full package
// list describe ("releases 2023.2.20230920 to 2023.12.20260831 (4
// releases), the AL2023 user guide (2026-12-01)"),
// "" for repository data or when there are none.
func (d *Data) AL2023Later() string { return d.al2023.later }
