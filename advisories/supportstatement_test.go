package advisories

import (
	"testing"

	"upkeep/inventory"
)

// TestStatementLife: a support statement's date counts only where it is a
// day until which the vendor patches; a statement of non-support ends
// support now whatever date comes with it (a host's support_info.xml gives
// the statement's end_date, when it stops applying).
func TestStatementLife(t *testing.T) {
	at := day("2026-12-01")
	sup := osSupport{name: "Amazon Linux 2023", until: day("2029-06-30"), known: true}
	for _, c := range []struct {
		level, ends string
		ok          bool
		until       string
	}{
		{"supported", "2028-12-31", true, "2028-12-31"},
		{"supported", "2031-01-01", true, "2029-06-30"}, // not past the OS's own end
		{"unsupported", "2029-06-30", true, "2026-11-30"},
		{"unsupported", "", true, "2026-11-30"},
		{"eos", "", true, "2026-11-30"},
		{"supported", "", false, ""},
		{"", "soon", false, ""},
	} {
		v, ok := statementLife(inventory.SupportStatement{Package: "p", Level: c.level, Ends: c.ends}, sup, at)
		if ok != c.ok || (ok && v.until.Format("2006-01-02") != c.until) {
			t.Errorf("%s/%s: ok %v until %s, want %v %s", c.level, c.ends, ok, v.until.Format("2006-01-02"), c.ok, c.until)
		}
	}
}
