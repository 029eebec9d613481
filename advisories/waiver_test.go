package advisories

import (
	"strings"
	"testing"

	"upkeep/inventory"
)

func TestParseWaivers(t *testing.T) {
	for _, c := range []struct {
		name, file, err string
		n               int
	}{
		{"empty", "", "", 0},
		{"one", "waivers:\n  - product: php\n    cycle: \"7.4\"\n    reason: ticket OPS-123\n    expires: 2027-03-31\n", "", 1},
		{"tag and hostname", "waivers:\n  - tag: Role=legacy\n    hostname: billing-*\n    reason: r\n", "", 1},
		{"host id", "waivers:\n  - host: i-0123456789abcdef0\n    reason: r\n", "", 1},
		{"glob in host", "waivers:\n  - host: billing-*\n    reason: r\n", "w.yaml:2: host \"billing-*\": host: is a host id (an EC2 instance id), matched exactly; for a pattern on host names write hostname: billing-*", 0},
		{"bad hostname pattern", "waivers:\n  - hostname: \"web-[\"\n    reason: r\n", "w.yaml:2: hostname pattern", 0},
		{"waivers twice", "waivers:\n  - product: php\n    reason: r\nwaivers:\n  - product: nginx\n    reason: r\n", "w.yaml:4: 'waivers' is given twice (first at line 2)", 0},
		{"field twice", "waivers:\n  - product: php\n    reason: r\n    product: nginx\n", "w.yaml:4: product is given twice in one waiver (first at line 2)", 0},
		{"over the size limit", "waivers:\n" + strings.Repeat("# padding\n", MaxWaiversSize/10+1), "w.yaml: the file is over the 1 MiB limit of a waivers file", 0},
		{"no reason", "waivers:\n  - product: php\n", "w.yaml:2: a waiver needs a reason", 0},
		{"no criterion", "waivers:\n  - reason: because\n", "w.yaml:2: a waiver must name at least one", 0},
		{"bad date", "waivers:\n  - product: php\n    reason: r\n    expires: March\n", "w.yaml:4: expires \"March\": want YYYY-MM-DD", 0},
		{"bad tag", "waivers:\n  - tag: legacy\n    reason: r\n", "w.yaml:2: tag \"legacy\": want Key=Value", 0},
		{"unknown field", "waivers:\n  - product: php\n    reasn: r\n", "w.yaml:3: unknown waiver field \"reasn\"", 0},
		{"unknown top key", "waiver:\n  - product: php\n", "w.yaml:1: unknown key \"waiver\"", 0},
		{"not a list", "waivers: php\n", "w.yaml:1: 'waivers' must be a list", 0},
		{"yaml syntax", "waivers:\n  - product: [php\n", "w.yaml: yaml: line", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			ws, err := ParseWaivers("w.yaml", []byte(c.file))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got %v, want an error with %q", err, c.err)
				}
				return
			}
			if err != nil || len(ws) != c.n {
				t.Fatalf("got %d waivers, %v; want %d", len(ws), err, c.n)
			}
		})
	}
}

func TestWaiverMatches(t *testing.T) {
	h := inventory.Host{ID: "i-1", Name: "billing-2", Tags: map[string]string{"Role": "legacy"}}
	w := Waiver{Product: "php", Cycle: "7.4", Name: "billing-*", Tag: "Role=legacy", Reason: "r", Expires: day("2027-03-31")}
	for _, c := range []struct {
		name           string
		product, cycle string
		host           inventory.Host
		want           bool
	}{
		// A hostname pattern matches names only: an id that happens to
		// fit it, or a tag the host's own output claims, is not enough.
		{"pattern on the id only", "php", "7.4", inventory.Host{ID: "billing-9", Name: "web-1", Tags: h.Tags}, false},
		{"claimed tag is not a host tag", "php", "7.4", inventory.Host{ID: "i-3", Name: "billing-3"}, false},
		{"all match", "php", "7.4", h, true},
		{"other cycle", "php", "8.1", h, false},
		{"other product", "nginx", "7.4", h, false},
		{"other host", "php", "7.4", inventory.Host{ID: "i-2", Name: "web-1", Tags: h.Tags}, false},
		{"other tag", "php", "7.4", inventory.Host{ID: "i-1", Name: "billing-2", Tags: map[string]string{"Role": "web"}}, false},
	} {
		if got := w.Matches(c.product, c.cycle, "", c.host); got != c.want {
			t.Errorf("%s: got %v", c.name, got)
		}
	}
	byID := Waiver{Host: "i-1", Reason: "r"}
	for _, c := range []struct {
		host inventory.Host
		want bool
	}{
		{h, true},
		{inventory.Host{ID: "i-10", Name: "i-1"}, false}, // a host naming itself like the waived id
		{inventory.Host{ID: "i-", Name: "billing-2"}, false},
	} {
		if got := byID.Matches("php", "7.4", "", c.host); got != c.want {
			t.Errorf("host: i-1 on %+v: got %v", c.host, got)
		}
	}
	if !w.Active(day("2027-03-31")) || w.Active(day("2027-04-01")) {
		t.Error("a waiver applies through its expiry day and not after")
	}
}
