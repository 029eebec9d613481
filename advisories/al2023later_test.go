package advisories

import (
	"strings"
	"testing"

	"upkeep/inventory"
	"upkeep/registry"
)

func TestParseAL2023Later(t *testing.T) {
	good := "# comment\nname\tversion\trelease\tline\tal2023_release\tsource\tretrieved\n" +
		"php8.2\t8.2.9\t1.amzn2023.0.3\t8.2\t2023.2.20230920\thttps://example.org/notes\t2026-12-01\n" +
		"ruby3.4\t\t\t3.4\t-\thttps://example.org/ruby\t2026-12-01\n"
	rows, err := parseAL2023Later([]byte(good))
	if err != nil || len(rows) != 2 || rows[1].version != "" || rows[1].line != "3.4" {
		t.Fatalf("rows %+v, err %v", rows, err)
	}
	for name, bad := range map[string]string{
		"six columns":       "ruby3.4\t\t\t3.4\t-\thttps://example.org/ruby\n",
		"no line":           "ruby3.4\t\t\t\t-\thttps://example.org/ruby\t2026-12-01\n",
		"version alone":     "php8.2\t8.2.9\t\t8.2\t2023.2.20230920\thttps://example.org/notes\t2026-12-01\n",
		"not an AL2023 rpm": "php8.2\t8.2.9\t1.el9\t8.2\t2023.2.20230920\thttps://example.org/notes\t2026-12-01\n",
		"no source":         "php8.2\t8.2.9\t1.amzn2023\t8.2\t2023.2.20230920\t-\t2026-12-01\n",
		"bad release":       "php8.2\t8.2.9\t1.amzn2023\t8.2\t2023.2\thttps://example.org/notes\t2026-12-01\n",
		"bad day":           "php8.2\t8.2.9\t1.amzn2023\t8.2\t2023.2.20230920\thttps://example.org/notes\tsoon\n",
	} {
		if _, err := parseAL2023Later([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestEmbeddedAL2023Later: the embedded rows of releases after 2023.1 are
// read, named in the status line, and used for targets: Ruby 2.x on AL2
// moves to ruby3.4 (Ruby 3.2 ended 2026-03-31), not ruby3.2.
func TestEmbeddedAL2023Later(t *testing.T) {
	d := mustLoad(t)
	if d.AL2023Release() != "2023.1.20230809" || d.AL2023Date.Format("2006-01-02") != "2023-08-09" {
		t.Errorf("full list: release %s of %s", d.AL2023Release(), d.AL2023Date)
	}
	if l := d.AL2023Later(); !strings.Contains(l, "releases 2023.2.20230920 to 2023.12.20260831") || !strings.Contains(l, "user guide") {
		t.Errorf("AL2023Later = %q", l)
	}
	if !d.AL2023Ships("ruby3.4") {
		t.Error("ruby3.4 not shipped")
	}
	r := readinessOf(t, d, al2, []inventory.Package{al2Pkg("ruby", "2.0.0.648", "36.amzn2.0.5")}, nil)
	e, ok := entryFor2(r, "ruby", "")
	if !ok || e.AL2023Package != "ruby3.4" || !strings.Contains(e.Summary, "ruby3.4: supported until") {
		t.Errorf("Ruby 2.0 on AL2: %+v", e)
	}
	// A row with a version keeps it: php8.2 is 8.2.9 in 2023.2.
	found := false
	for _, o := range d.al2023.offers["php"] {
		if o.name == "php8.2" && o.upstream == "8.2.9" {
			found = true
		}
	}
	if !found {
		t.Errorf("php8.2 8.2.9 from 2023.2 not among the offers: %+v", d.al2023.offers["php"])
	}
}

// TestEmbeddedAL2023LaterRowsMap: every row of data/al2023-later.tsv names
// a package of a registry product (a client row, such as the mariadb105
// client of 2023.2, is listed but offers no server line), so no row is
// dropped unread; and the 2023.12 rows give the lines AWS added since 2023.1.
func TestEmbeddedAL2023LaterRowsMap(t *testing.T) {
	b, err := dataFS.ReadFile("data/al2023-later.tsv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := parseAL2023Later(b)
	if err != nil {
		t.Fatal(err)
	}
	reg := registry.Default()
	for _, r := range rows {
		vr := r.version + "-" + r.release
		if r.version == "" {
			vr = r.line + "-0.amzn2023"
		}
		if _, ok := reg.Map("rpm", r.name, vr); !ok {
			t.Errorf("%s (%s): maps to no registry product", r.name, r.al2023Release)
		}
	}
	d := mustLoad(t)
	want := map[string][]string{ // product -> package@line the 2023.12 rows must offer
		"tomcat":          {"tomcat9@9.0", "tomcat10@10.1", "tomcat11@11.0"},
		"openssl":         {"openssl-libs@3.5"},
		"mariadb":         {"mariadb1011-server@10.11", "mariadb114-server@11.4", "mariadb123-server@12.3"},
		"nodejs":          {"nodejs22@22", "nodejs24@24"},
		"php":             {"php8.4@8.4", "php8.5@8.5"},
		"amazon-corretto": {"java-21-amazon-corretto@21", "java-25-amazon-corretto@25"},
		"valkey":          {"valkey@9.0"},
		"postgresql":      {"postgresql18-server@18"},
	}
	for product, pkgs := range want {
		for _, w := range pkgs {
			name, line, _ := strings.Cut(w, "@")
			found := false
			for _, o := range d.al2023.offers[product] {
				if o.name == name && o.line == line {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: %s %s not among the AL2023 offers %+v", product, name, line, d.al2023.offers[product])
			}
		}
	}
}

func TestDescribeLater(t *testing.T) {
	for _, c := range []struct {
		rels  []string
		guide string
		want  string
	}{
		{nil, "", ""},
		{nil, "2026-12-01", "the AL2023 user guide (2026-12-01)"},
		{[]string{"2023.12.20260817", "2023.2.20230920"}, "", "2023.2.20230920, 2023.12.20260817"},
		{[]string{"2023.12.20260831", "2023.2.20230920", "2023.12.20260710"}, "2026-12-01",
			"releases 2023.2.20230920 to 2023.12.20260831 (3 releases), the AL2023 user guide (2026-12-01)"},
	} {
		if got := describeLater(c.rels, c.guide); got != c.want {
			t.Errorf("describeLater(%v, %q) = %q, want %q", c.rels, c.guide, got, c.want)
		}
	}
}

// TestAL2TableNamesShip: every AL2023 package the AL2 → AL2023 table names
// is in the embedded AL2023 data (the 2023.1 list, the later rows, or a
// line the registry lists), so the table never offers a name nothing backs.
func TestAL2TableNamesShip(t *testing.T) {
	d := mustLoad(t)
	known := func(n string) bool {
		if d.AL2023Ships(n) {
			return true
		}
		for _, offers := range d.al2023.offers {
			for _, o := range offers {
				if o.name == n {
					return true
				}
			}
		}
		return false
	}
	for pkg, rows := range d.al2023.rows {
		for _, r := range rows {
			for _, n := range r.al2023 {
				if !known(n) {
					t.Errorf("%s (%s): names %s, which no embedded AL2023 data lists", pkg, r.source, n)
				}
			}
		}
	}
}

// TestRedisNamesValkey: when no AL2023 Redis line lasts (redis6 has ended),
// readiness moves to the replacement the registry names for the planner
// (Valkey, a core AL2023 package), as the plan's step does.
func TestRedisNamesValkey(t *testing.T) {
	d := mustLoad(t)
	r := readinessOf(t, d, al2, []inventory.Package{al2Pkg("redis", "6.2.13", "1.amzn2")}, nil)
	e, ok := entryFor2(r, "redis", "")
	if !ok || e.Availability != "replaced" || e.AL2023Package != "valkey" ||
		!strings.Contains(e.Summary, "replaced by valkey") {
		t.Errorf("Redis 6 on AL2: %+v", e)
	}
}
