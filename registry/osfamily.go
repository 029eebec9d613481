package registry

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// OSCycles is how an OS family's VERSION_ID names its release cycle
// beyond the first Parts numbers: os.yaml's families cycles.
type OSCycles struct {
	// StreamProduct is the endoflife.date product of the family's
	// rolling successor (centos-stream): an os-release whose NAME says
	// "Stream", or a major of StreamFrom or later, is that product.
	StreamProduct string `yaml:"stream_product"`
	StreamFrom    int    `yaml:"stream_from"`
	// Whole is an anchored regexp: a VERSION_ID that matches is the
	// cycle as written (Amazon Linux 1's 2018.03).
	Whole  string `yaml:"whole"`
	Source string `yaml:"source"` // a source id of os.yaml
	re     *regexp.Regexp
}

func (c *OSCycles) validate(ids map[string]bool) error {
	if err := needSource(ids, c.Source); err != nil {
		return err
	}
	if (c.StreamProduct == "") != (c.StreamFrom == 0) {
		return fmt.Errorf("stream_product and stream_from go together")
	}
	if c.Whole != "" {
		re, err := regexp.Compile(`^(?:` + c.Whole + `)$`)
		if err != nil {
			return fmt.Errorf("whole: %w", err)
		}
		c.re = re
	}
	if c.StreamProduct == "" && c.Whole == "" {
		return fmt.Errorf("stream_product or whole is required")
	}
	return nil
}

// CycleOf maps an os-release of the family (NAME and PRETTY_NAME, and
// VERSION_ID) to its endoflife.date product and cycle.
func (f OSFamily) CycleOf(names, versionID string) (product, cycle string) {
	product = f.Product
	v := strings.TrimSpace(versionID)
	p := NumericParts(v)
	if c := f.Cycles; c != nil {
		if c.StreamProduct != "" {
			major, _ := strconv.Atoi(firstOf(p))
			if strings.Contains(strings.ToLower(names), "stream") || major >= c.StreamFrom {
				product = c.StreamProduct
			}
		}
		if c.re != nil && c.re.MatchString(v) {
			return product, v
		}
	}
	if len(p) == 0 {
		return product, ""
	}
	if len(p) > f.Parts {
		p = p[:f.Parts]
	}
	return product, strings.Join(p, ".")
}

func firstOf(p []string) string {
	if len(p) == 0 {
		return ""
	}
	return p[0]
}

// validateOSCycles checks the families' cycles rows against os.yaml's
// sources.
func (r *Registry) validateOSCycles(srcs []Source) error {
	ids := sourceIDs(srcs)
	for _, f := range r.OSFamilies {
		if f.Cycles == nil {
			continue
		}
		if err := f.Cycles.validate(ids); err != nil {
			return fmt.Errorf("os.yaml families %s cycles: %w", f.ID, err)
		}
	}
	return nil
}

// StreamProducts returns the rolling successors the OS families name
// (centos-stream): products upkeep judges without a file of their own.
func (r *Registry) StreamProducts() []string {
	var out []string
	for _, f := range r.OSFamilies {
		if f.Cycles != nil && f.Cycles.StreamProduct != "" {
			out = append(out, f.Cycles.StreamProduct)
		}
	}
	return out
}
