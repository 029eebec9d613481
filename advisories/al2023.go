package advisories

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"upkeep/advisories/version"
	"upkeep/inventory"
	"upkeep/registry"
)

// al2023Offer is one package of Amazon Linux 2023 that provides a product.
type al2023Offer struct {
	name     string
	upstream string // "" when only the line is known
	line     string // release line when no version is known ("8.3")
}

// al2Row is one row of data/al2-to-al2023.tsv.
type al2Row struct {
	pkg, source, version string
	al2023               []string
	status               Availability
	note                 string
}

type al2023Data struct {
	release string
	offers  map[string][]al2023Offer // product -> the AL2023 packages that provide it
	rows    map[string][]al2Row      // AL2 package name -> curated rows
	support map[string]AL2023Support // package -> the vendor's support statement (repository data only)
	origin  string                   // "" for the embedded release notes, else where the repository data came from
	names   map[string]bool          // every package name the data lists
	later   string                   // releases the rows of data/al2023-later.tsv describe (embedded data only)
}

func loadAL2023(m *registry.Registry) (*al2023Data, error) {
	a := &al2023Data{offers: map[string][]al2023Offer{}, rows: map[string][]al2Row{}, names: map[string]bool{}}
	b, err := dataFS.ReadFile("data/al2023-packages.tsv")
	if err != nil {
		return nil, fmt.Errorf("read embedded AL2023 package list: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			if i := strings.Index(line, "al2023_release="); i >= 0 {
				a.release, _, _ = strings.Cut(line[i+len("al2023_release="):], " ")
			}
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 4 || f[0] == "name" {
			continue
		}
		a.add(m, f[0], f[2]+"-"+f[3])
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read embedded AL2023 package list line %d: %w", n, err)
	}
	if err := a.addLater(m); err != nil {
		return nil, err
	}
	// Namespaced lines AWS added after the embedded list: the registry's
	// al2023.later (only the line is known).
	for p, later := range m.AL2023Later() {
		for _, l := range later {
			a.offers[p] = append(a.offers[p], al2023Offer{name: l.Name, line: l.Line})
		}
	}
	b, err = dataFS.ReadFile("data/al2-to-al2023.tsv")
	if err != nil {
		return nil, fmt.Errorf("read embedded AL2 to AL2023 table: %w", err)
	}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 {
			continue
		}
		if len(f) < 6 {
			return nil, fmt.Errorf("embedded AL2 to AL2023 table line %d: want 7 columns, got %d", i+1, len(f))
		}
		r := al2Row{pkg: f[0], source: f[1], version: f[2], status: Availability(f[5])}
		if f[3] != "-" {
			r.al2023 = strings.Split(f[3], ",")
		}
		if len(f) > 6 {
			r.note = f[6]
		}
		a.rows[r.pkg] = append(a.rows[r.pkg], r)
	}
	return a, nil
}

// add records one AL2023 package build (name, version-release).
func (a *al2023Data) add(m *registry.Registry, name, vr string) {
	a.names[name] = true
	mt, ok := m.Map("rpm", name, vr)
	if !ok || !mt.Primary || !strings.Contains(vr, "amzn2023") {
		return
	}
	a.offers[mt.Product] = append(a.offers[mt.Product], al2023Offer{name: name, upstream: mt.Upstream})
}

// AL2023Release is the AL2023 release the package list describes.
func (d *Data) AL2023Release() string { return d.al2023.release }

// AL2023Origin is where the AL2023 package data came from: "" for the
// embedded release notes, else the repositories 'upkeep data update' read.
func (d *Data) AL2023Origin() string { return d.al2023.origin }

// AL2023Ships reports whether the AL2023 data lists a binary package of
// that name.
func (d *Data) AL2023Ships(name string) bool { return d.al2023.names[name] }

// AL2023Support is the vendor's support statement for an AL2023 package,
// when the repository data has one.
func (d *Data) AL2023Support(name string) (AL2023Support, bool) {
	s, ok := d.al2023.support[name]
	return s, ok
}

// WithAL2023Repo returns a copy of d whose AL2023 availability comes from
// repository data that 'upkeep data update' read: the packages the
// repositories ship now, in place of the embedded release notes (and of
// the lines the embedded data adds by hand). The AL2 table is kept.
func (d *Data) WithAL2023Repo(r *AL2023Repo) *Data {
	a := &al2023Data{release: r.Release, offers: map[string][]al2023Offer{}, rows: d.al2023.rows,
		support: map[string]AL2023Support{}, names: map[string]bool{}}
	var origins []string
	for _, s := range r.Repos {
		origins = append(origins, s.Name+" "+s.URL)
	}
	a.origin = strings.Join(origins, ", ")
	for _, p := range r.Packages {
		a.add(d.reg, p.Name, p.Version+"-"+p.Release)
	}
	for _, s := range r.Support {
		a.support[s.Package] = s
	}
	n := *d
	n.al2023 = a
	n.AL2023Date, _ = time.Parse(time.DateOnly, r.ReleaseDate)
	return &n
}

// availability fills f.AL2023 and f.AL2023Package for a host that is not
// on Amazon Linux 2023: can this product move as it is, and to which
// package? The target is one that lasts: when the same line ends inside the
// window (opt.At plus opt.Within days) or is already over, and AL2023 ships
// a line supported longer, that line is the target, with f.AL2023Why
// saying until when ("php8.4: supported until 2028-12-31").
func (d *Data) availability(f *Finding, osr inventory.OSRelease, opt Options) {
	d.availabilityRaw(f, osr)
	if opt.At.IsZero() || f.Kind == KindKernel || d.reg.ComesWithInstance(f.Product) {
		return // a new instance brings its own (the kernel): no line to choose
	}
	deadline := opt.At.AddDate(0, 0, opt.Within)
	product, upstream, cycle := f.Product, f.UpstreamVersion, f.Cycle
	if in, ok := d.reg.InsteadOf(f.Product); ok {
		product = in.Product
		if !in.SameCycle {
			upstream, cycle = "0", ""
		}
	}
	switch f.AL2023 {
	case AvailAvailable, AvailNamespaced, AvailNewerOnly, AvailReplaced:
	default:
		return
	}
	if f.AL2023 == AvailReplaced && product == f.Product {
		return // another product (MariaDB for MySQL, Valkey for Redis): its own line is named as it is
	}
	cur := strings.Split(f.AL2023Package, ",")
	curOK, curEnd := false, ""
	for _, n := range cur {
		if o, ok := d.offerNamed(product, n); ok {
			if end, ok2 := d.offerEnd(product, o); ok2 && !end.before(deadline) {
				curOK, curEnd = true, end.text
			}
		}
	}
	// The same line is kept when it lasts and the finding needs no work,
	// as the planner carries such a line over; a line that is past or near
	// its end moves to the line that lasts longest, as the planner's target.
	if curOK && len(cur) == 1 && !needsMove(f.Status) {
		f.AL2023Why = cur[0] + ": supported until " + curEnd
		return
	}
	best, end, ok := d.lastingOffer(product, upstream, cycle, deadline)
	if !ok {
		if r, rend, ok := d.lastingReplacement(f.Product, deadline); ok {
			// The product's own lines end; AL2023 ships another product in
			// its place, which the planner moves to (redis -> valkey).
			f.AL2023, f.AL2023Package = AvailReplaced, strings.Join(r.Packages, ",")
			f.AL2023Why = fmt.Sprintf("%s %s: supported until %s (AL2023 ships it in place of %s)", r.Label, r.Cycle, rend, labelOr(*f))
			return
		}
		if f.AL2023Package != "" && !curOK {
			f.AL2023Why = "no AL2023 line of " + labelOr(*f) + " is known to be supported past " + deadline.Format(time.DateOnly)
			f.AL2023Why += d.alsoShips(product)
		}
		return
	}
	name := pickName(best, f.Package)
	if curOK && slices.Contains(cur, name) {
		f.AL2023Package = name
		f.AL2023Why = name + ": supported until " + end
		return
	}
	if f.AL2023 == AvailAvailable || f.AL2023 == AvailNamespaced {
		f.AL2023 = AvailNewerOnly // the same line ships but does not last
	}
	f.AL2023Package = name
	f.AL2023Why = name + ": supported until " + end + " (the longest-supported line AL2023 ships)"
}

// alsoShips names what AL2023 ships in product's place (the registry's
// replacements) when the AL2023 data has it: named, not chosen, since no
// end past the deadline is known for it.
func (d *Data) alsoShips(product string) string {
	out := ""
	for _, r := range d.reg.Replacements() {
		if r.Product != product || r.OS != "amazon-linux" || r.OSCycle != "2023" {
			continue
		}
		for _, n := range r.Packages {
			if d.al2023.names[n] || len(d.al2023.offers[r.With]) > 0 {
				out += fmt.Sprintf("; AL2023 also ships %s (%s) in its place, not known to be supported past the deadline either", strings.Join(r.Packages, ","), r.Label)
				break
			}
		}
	}
	return out
}

// needsMove reports whether a finding's line must move whatever the new
// release ships: it is past its end or ends inside the window (the
// planner's needsWork).
func needsMove(v Verdict) bool { return v == VerdictEOL || v == VerdictEOLSoon }

// lastingReplacement is the registry's replacement for product on AL2023
// that the planner moves to (use: plan), when it is supported past the
// deadline, with its end as text.
func (d *Data) lastingReplacement(product string, deadline time.Time) (registry.ReplacementRow, string, bool) {
	for _, r := range d.reg.PlanReplacements(product, "amazon-linux", "2023") {
		if r.Support == registry.SupportOS {
			if c, ok := d.Cycle("amazon-linux", "2023"); ok && !c.EOL.Date.IsZero() && !c.EOL.Date.Before(deadline) {
				return r, c.EOL.Date.Format(time.DateOnly) + " (Amazon Linux 2023's end)", true
			}
			continue
		}
		if c, ok := d.Cycle(r.With, r.Cycle); ok && c.EOL.Tracked && !c.EOL.Passed(deadline) {
			if c.EOL.Date.IsZero() {
				return r, "no end announced", true
			}
			return r, c.EOL.Date.Format(time.DateOnly), true
		}
	}
	return registry.ReplacementRow{}, "", false
}

// offerEnd is when AL2023's support for an offer ends: the repository's
// own support statement when there is one; the OS release's end for the
// packages AWS patches for AL2023's whole life; else the upstream line's end.
type offerEnding struct {
	date time.Time // zero: no end announced
	text string
}

func (e offerEnding) before(t time.Time) bool { return !e.date.IsZero() && e.date.Before(t) }

func (d *Data) offerEnd(product string, o al2023Offer) (offerEnding, bool) {
	if s, ok := d.al2023.support[o.name]; ok && s.Ends != "" {
		t, err := time.Parse(time.DateOnly, s.Ends)
		if err == nil {
			return offerEnding{t, s.Ends + " (AL2023 support statement)"}, true
		}
	}
	// The registry's Amazon Linux 2023 ships rows with support os: the
	// same rows the planner reads, so both give a package the same end.
	if d.reg.AL2023OSLife(o.name) {
		if c, ok := d.Cycle("amazon-linux", "2023"); ok && !c.EOL.Date.IsZero() {
			return offerEnding{c.EOL.Date, c.EOL.Date.Format(time.DateOnly) + " (Amazon Linux 2023's end)"}, true
		}
	}
	oc := d.offerCycle(product, o)
	c, ok := d.Cycle(product, oc)
	if !ok || !c.EOL.Tracked {
		return offerEnding{}, false
	}
	switch {
	case !c.EOL.Date.IsZero():
		return offerEnding{c.EOL.Date, c.EOL.Date.Format(time.DateOnly)}, true
	case c.EOL.Ended:
		return offerEnding{time.Time{}.AddDate(1, 0, 0), "ended"}, true
	}
	return offerEnding{text: "no end announced"}, true
}

// offerNamed finds an offer of product by package name.
func (d *Data) offerNamed(product, name string) (al2023Offer, bool) {
	for _, o := range d.al2023.offers[product] {
		if o.name == name {
			return o, true
		}
	}
	return al2023Offer{}, false
}

// lastingOffer returns the offers of the AL2023 line of product that is
// supported longest past the deadline, among lines at or above the
// installed one (a move never goes back a line); ok is false when no line
// is known to be supported at the deadline.
func (d *Data) lastingOffer(product, upstream, cycle string, deadline time.Time) ([]al2023Offer, string, bool) {
	type line struct {
		offers []al2023Offer
		end    offerEnding
	}
	lines := map[string]*line{}
	var order []string
	for _, o := range d.al2023.offers[product] {
		oc := d.offerCycle(product, o)
		if oc == "" || (oc != cycle && version.Compare(version.Upstream, cmp2(o), upstream) <= 0) {
			continue
		}
		end, ok := d.offerEnd(product, o)
		if !ok || end.before(deadline) || end.text == "ended" {
			continue
		}
		l := lines[oc]
		if l == nil {
			l = &line{end: end}
			lines[oc] = l
			order = append(order, oc)
		}
		l.offers = append(l.offers, o)
		if l.end.date.IsZero() || (!end.date.IsZero() && end.date.After(l.end.date)) {
			l.end = end
		}
	}
	if len(order) == 0 {
		return nil, "", false
	}
	// Longest first; no end announced counts as longest (a current line);
	// ties go to the lower line, the smaller move.
	slices.SortFunc(order, func(a, b string) int {
		ea, eb := lines[a].end.date, lines[b].end.date
		switch {
		case ea.IsZero() && !eb.IsZero():
			return -1
		case eb.IsZero() && !ea.IsZero():
			return 1
		case !ea.Equal(eb):
			return eb.Compare(ea)
		}
		return version.Compare(version.Upstream, a, b)
	})
	l := lines[order[0]]
	return l.offers, l.end.text, true
}

// availabilityRaw decides the availability from what AL2023 ships, before
// the choice of a lasting line.
func (d *Data) availabilityRaw(f *Finding, osr inventory.OSRelease) {
	if f.Kind == KindPackage && isAL2(osr) {
		if r, ok := d.al2Row(f); ok && d.rowShipped(r) {
			f.AL2023, f.AL2023Package = r.status, strings.Join(r.al2023, ",")
			if r.status == AvailRemoved && r.note != "" {
				f.AL2023Why = r.note
			}
			return
		}
	}
	a := d.al2023
	if in, ok := d.reg.InsteadOf(f.Product); ok {
		// AL2023 ships another product in this one's place (the registry's
		// readiness.instead): Corretto for Temurin, MariaDB for MySQL.
		cycle, upstream := "", "0"
		if in.SameCycle {
			cycle, upstream = f.Cycle, f.UpstreamVersion
		}
		f.AL2023, f.AL2023Package = AvailReplaced, d.bestOffer(in.Product, cycle, upstream, in.Like)
		return
	}
	offers := a.offers[f.Product]
	if len(offers) == 0 {
		f.AL2023 = AvailRemoved
		return
	}
	var same, newer []al2023Offer
	for _, o := range offers {
		oc := d.offerCycle(f.Product, o)
		switch {
		case oc == f.Cycle:
			same = append(same, o)
		case o.upstream == "" && o.line == "":
		case version.Compare(version.Upstream, cmp2(o), f.UpstreamVersion) > 0:
			newer = append(newer, o)
		}
	}
	names := []string{d.reg.AL2023Base(f.Product)}
	if f.Kind == KindPackage && osManager(osr.ID) == "rpm" {
		names = append(names, f.Package)
		names = append(names, f.Packages...)
	}
	nameMatch := func(os []al2023Offer) (string, bool) {
		for _, o := range os {
			if slices.Contains(names, o.name) {
				return o.name, true
			}
		}
		return "", false
	}
	if n, ok := nameMatch(same); ok {
		f.AL2023, f.AL2023Package = AvailAvailable, n
		return
	}
	if len(same) > 0 {
		f.AL2023, f.AL2023Package = AvailNamespaced, pickName(same, f.Package)
		return
	}
	if d.reg.CompatibleWithinMajor(f.Product) {
		var major []al2023Offer
		for _, o := range newer {
			if sameLine(cmp2(o), firstPart(f.UpstreamVersion)) {
				major = append(major, o)
			}
		}
		if n, ok := nameMatch(major); ok {
			f.AL2023, f.AL2023Package = AvailAvailable, n
			return
		}
	}
	if len(newer) == 0 {
		// Nothing of the product's own at or above the line: the product
		// AL2023 ships in its place, when the registry has one the planner
		// moves to (redis -> valkey).
		if rs := d.reg.PlanReplacements(f.Product, "amazon-linux", "2023"); len(rs) > 0 {
			f.AL2023, f.AL2023Package = AvailReplaced, strings.Join(rs[0].Packages, ",")
			return
		}
	}
	if len(newer) > 0 {
		slices.SortFunc(newer, func(x, y al2023Offer) int {
			return version.Compare(version.Upstream, cmp2(x), cmp2(y))
		})
		f.AL2023, f.AL2023Package = AvailNewerOnly, pickName(newer[:1], f.Package)
		return
	}
	f.AL2023 = AvailUnknown
}

// rowShipped reports whether the AL2023 packages an AL2 table row names
// are still in the AL2023 data: repository data of a later release may
// have dropped a line the 2023.1 table names (php8.1), and then the row
// no longer decides.
func (d *Data) rowShipped(r al2Row) bool {
	if len(r.al2023) == 0 || d.al2023.origin == "" {
		return true
	}
	for _, n := range r.al2023 {
		if d.al2023.names[n] {
			return true
		}
	}
	return false
}

func firstPart(v string) string {
	p := numericParts(v)
	if len(p) == 0 {
		return ""
	}
	return p[0]
}

// cmp2 is the version an offer is compared by.
func cmp2(o al2023Offer) string {
	if o.upstream != "" {
		return o.upstream
	}
	return o.line
}

func (d *Data) offerCycle(product string, o al2023Offer) string {
	v := cmp2(o)
	if v == "" {
		return ""
	}
	if c, ok := d.MatchCycle(product, v); ok {
		return c.Name
	}
	return fallbackCycle(v)
}

// bestOffer names the AL2023 package of product for a cycle, or the
// lowest newer one.
func (d *Data) bestOffer(product, cycle, upstream, like string) string {
	var newer []al2023Offer
	var same []al2023Offer
	for _, o := range d.al2023.offers[product] {
		switch {
		case d.offerCycle(product, o) == cycle:
			same = append(same, o)
		case version.Compare(version.Upstream, cmp2(o), upstream) > 0:
			newer = append(newer, o)
		}
	}
	if len(same) > 0 {
		return pickName(same, like)
	}
	if len(newer) == 0 {
		return ""
	}
	slices.SortFunc(newer, func(x, y al2023Offer) int { return version.Compare(version.Upstream, cmp2(x), cmp2(y)) })
	return pickName(newer[:1], like)
}

// pickName chooses among AL2023 packages of one line the one that plays
// the installed package's part (php-fpm -> php8.2-fpm), else the shortest.
func pickName(offers []al2023Offer, installed string) string {
	best := ""
	for _, o := range offers {
		if i := strings.LastIndexByte(installed, '-'); i > 0 && strings.HasSuffix(o.name, installed[i:]) {
			return o.name
		}
		if best == "" || len(o.name) < len(best) || (len(o.name) == len(best) && o.name < best) {
			best = o.name
		}
	}
	return best
}

// al2Row finds the curated AL2 row for a finding: the deciding package
// first, then the others, with the row's line matching the installed one.
func (d *Data) al2Row(f *Finding) (al2Row, bool) {
	names := append([]string{f.Package}, f.Packages...)
	for _, n := range names {
		for _, r := range d.al2023.rows[n] {
			if r.version == "-" {
				return r, true
			}
			mt, ok := d.reg.Map("rpm", r.pkg, r.version)
			if !ok {
				continue
			}
			if c, ok := d.MatchCycle(mt.Product, mt.Upstream); ok && c.Name == f.Cycle && mt.Product == f.Product {
				return r, true
			}
		}
	}
	return al2Row{}, false
}

// Move is an Amazon Linux 2 package that the AL2 → AL2023 table knows as
// replaced, removed or changed, and that no product finding covers (ntp,
// awscli, compat-openssl10, epel-release): readiness reports each one a
// host has.
type Move struct {
	Package string
	Version string
	Status  Availability // replaced, removed, newer-only
	AL2023  string       // what AL2023 has in its place, "" for nothing
	Note    string       // the table's note: why, and what to use
}

// al2Moves lists the moves for an AL2 host's packages. Packages a product
// rule maps are left to their findings, and rows whose status is
// "available" need no note.
func (d *Data) al2Moves(pkgs []inventory.Package) []Move {
	var out []Move
	seen := map[string]bool{}
	for _, p := range pkgs {
		rows := d.al2023.rows[p.Name]
		if len(rows) == 0 || seen[p.Name] || !p.Installed() {
			continue
		}
		if mt, ok := d.reg.Map("rpm", p.Name, p.Version+"-"+p.Release); ok && mt.Product != "" {
			continue
		}
		r := rows[0]
		if r.status == AvailAvailable || r.status == "" {
			continue
		}
		seen[p.Name] = true
		out = append(out, Move{Package: p.Name, Version: p.Version + "-" + p.Release, Status: r.status,
			AL2023: strings.Join(r.al2023, ","), Note: r.note})
	}
	slices.SortFunc(out, func(a, b Move) int { return strings.Compare(a.Package, b.Package) })
	return out
}
