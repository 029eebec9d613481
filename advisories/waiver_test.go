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
		{"tag and host", "waivers:\n  - tag: Role=legacy\n    host: billing-*\n    reason: r\n", "", 1},
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
	w := Waiver{Product: "php", Cycle: "7.4", Host: "billing-*", Tag: "Role=legacy", Reason: "r", Expires: day("2027-03-31")}
	for _, c := range []struct {
		name           string
		product, cycle string
		host           inventory.Host
		want           bool
	}{
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
	if !w.Active(day("2027-03-31")) || w.Active(day("2027-04-01")) {
		t.Error("a waiver applies through its expiry day and not after")
	}
}
