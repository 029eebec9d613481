package advisories

import (
	"fmt"
	"path"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"upkeep/inventory"
)

// Waiver accepts findings on purpose: "php 7.4 on the legacy-billing hosts
// until 2027-03-31, ticket OPS-123". Every criterion given must match; a
// waiver matches nothing unless it names at least one. Waived findings stay
// in reports, marked, and no longer count for --fail-on; after Expires they
// count again.
type Waiver struct {
	Product string    // endoflife.date slug ("php")
	Cycle   string    // release cycle ("7.4")
	Host    string    // host id exactly: the EC2 instance id SSM proved, or a local/imported host's id
	Name    string    // host name, shell glob allowed ("billing-*"); the hostname: field
	Tag     string    // Key=Value host tag
	Key     string    // a finding or readiness entry key, exactly
	Reason  string    // required
	Expires time.Time // zero: no expiry; otherwise the last day it applies
	Line    int       // line in the waivers file, for messages
}

// The YAML shape of upkeep.yaml, read node by node so that an error can name
// its line:
//
//	waivers:
//	  - product: php
//	    cycle: "7.4"
//	    tag: Role=legacy-billing
//	    reason: legacy billing until the rewrite, ticket OPS-123
//	    expires: 2027-03-31
//
// host: is an id, never a pattern: a host chooses its own name, so a name
// pattern must be asked for by name (hostname:), where a reader sees it.

var waiverFields = map[string]bool{"product": true, "cycle": true, "host": true, "hostname": true, "tag": true, "key": true, "reason": true, "expires": true}

const waiverFieldList = "product, cycle, host, hostname, tag, key, reason, expires"

// MaxWaiversSize bounds a waivers file: a thousand waivers take about
// 200 KB, and YAML's node tree costs many times the file's size in memory.
const MaxWaiversSize = 1 << 20

// ParseWaivers reads a waivers file. name is used in messages; an error
// names the line at fault.
func ParseWaivers(name string, b []byte) (ws []Waiver, err error) {
	if len(b) > MaxWaiversSize {
		return nil, fmt.Errorf("%s: the file is over the %d MiB limit of a waivers file: keep one waiver per product and host group, or check that it is the waivers file", name, MaxWaiversSize>>20)
	}
	// A panic in the YAML library or below must not take the command down
	// without saying which file caused it.
	defer func() {
		if p := recover(); p != nil {
			ws, err = nil, fmt.Errorf("%s: cannot read this file (%v): check its YAML", name, p)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: want a mapping with a 'waivers' list", name, root.Line)
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if k.Value == "waivers" {
			// yaml.v3 keeps both copies of a repeated key in a node tree;
			// taking either would silently drop the other's waivers.
			if list != nil {
				return nil, fmt.Errorf("%s:%d: 'waivers' is given twice (first at line %d): merge the two lists into one", name, k.Line, list.Line)
			}
			list = root.Content[i+1]
			continue
		}
		return nil, fmt.Errorf("%s:%d: unknown key %q (want 'waivers')", name, k.Line, k.Value)
	}
	if list == nil {
		return nil, nil
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: 'waivers' must be a list", name, list.Line)
	}
	var out []Waiver
	for _, item := range list.Content {
		w, err := parseWaiver(name, item)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

func parseWaiver(name string, n *yaml.Node) (Waiver, error) {
	w := Waiver{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		return w, fmt.Errorf("%s:%d: a waiver must be a mapping (%s)", name, n.Line, waiverFieldList)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !waiverFields[k.Value] {
			return w, fmt.Errorf("%s:%d: unknown waiver field %q (want %s)", name, k.Line, k.Value, waiverFieldList)
		}
		if first, ok := seen[k.Value]; ok {
			return w, fmt.Errorf("%s:%d: %s is given twice in one waiver (first at line %d): keep one", name, k.Line, k.Value, first)
		}
		seen[k.Value] = k.Line
		if v.Kind != yaml.ScalarNode {
			return w, fmt.Errorf("%s:%d: %s must be a single value", name, v.Line, k.Value)
		}
		s := strings.TrimSpace(v.Value)
		switch k.Value {
		case "product":
			w.Product = s
		case "cycle":
			w.Cycle = s
		case "host":
			if strings.ContainsAny(s, "*?[") {
				return w, fmt.Errorf("%s:%d: host %q: host: is a host id (an EC2 instance id), matched exactly; for a pattern on host names write hostname: %s", name, v.Line, s, s)
			}
			w.Host = s
		case "hostname":
			if _, err := path.Match(s, ""); err != nil {
				return w, fmt.Errorf("%s:%d: hostname pattern %q: %w", name, v.Line, s, err)
			}
			w.Name = s
		case "tag":
			if !strings.Contains(s, "=") {
				return w, fmt.Errorf("%s:%d: tag %q: want Key=Value", name, v.Line, s)
			}
			w.Tag = s
		case "key":
			w.Key = s
		case "reason":
			w.Reason = s
		case "expires":
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return w, fmt.Errorf("%s:%d: expires %q: want YYYY-MM-DD", name, v.Line, s)
			}
			w.Expires = t
		}
	}
	if w.Reason == "" {
		return w, fmt.Errorf("%s:%d: a waiver needs a reason", name, n.Line)
	}
	if w.Product == "" && w.Cycle == "" && w.Host == "" && w.Name == "" && w.Tag == "" && w.Key == "" {
		return w, fmt.Errorf("%s:%d: a waiver must name at least one of product, cycle, host, hostname, tag, key", name, n.Line)
	}
	return w, nil
}

// Active reports whether the waiver still applies at a day.
func (w Waiver) Active(at time.Time) bool {
	return w.Expires.IsZero() || !at.After(w.Expires)
}

// Matches reports whether the waiver covers a finding of product and cycle
// with key on host. Tags are the host's (h.Tags: from SSM discovery), never
// the T records a collector output claims for itself.
func (w Waiver) Matches(product, cycle, key string, h inventory.Host) bool {
	if w.Product != "" && w.Product != product {
		return false
	}
	if w.Cycle != "" && w.Cycle != cycle {
		return false
	}
	if w.Key != "" && w.Key != key {
		return false
	}
	if w.Host != "" && w.Host != h.ID {
		return false
	}
	if w.Name != "" {
		// Only the name: an id is matched by host:, exactly, so a pattern
		// written for names never catches an id by accident.
		if ok, _ := path.Match(w.Name, h.Name); !ok {
			return false
		}
	}
	if w.Tag != "" {
		k, v, _ := strings.Cut(w.Tag, "=")
		if got, ok := h.Tags[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// Describe is the reason and expiry as reports show them.
func (w Waiver) Describe() string {
	if w.Expires.IsZero() {
		return w.Reason
	}
	return w.Reason + " (until " + w.Expires.Format(time.DateOnly) + ")"
}

// applyWaivers marks f waived by the first active waiver that matches it.
// An expired waiver is named in the reason so that nobody wonders why the
// finding came back.
func applyWaivers(f *Finding, opt Options, h inventory.Host) {
	for _, w := range opt.Waivers {
		if !w.Matches(f.Product, f.Cycle, f.Key, h) {
			continue
		}
		if !w.Active(opt.At) {
			f.Reason += fmt.Sprintf(" (waiver expired %s: %s)", w.Expires.Format(time.DateOnly), w.Reason)
			continue
		}
		f.Waived, f.WaiverReason = true, w.Describe()
		return
	}
}
