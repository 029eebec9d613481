package plan

import (
	"strings"
	"time"
)

// replaceStep plans the move of a product to the replacement the target OS
// release ships in its place, when that is supported past the window; nil
// when it is not.
func replaceStep(in Input, c *Cohort, x *facts, rep *Replacement, cycle string, osOK bool, deadline time.Time, targetOS, targetCycle, onOS string) *Step {
	end := ""
	switch cs := in.Catalog.Cycles(rep.With); {
	case rep.Offer.OSSupported:
		if !osOK {
			return nil
		}
		end = "the OS release's end"
	default:
		cy := findCycle(cs, rep.Offer.Cycle)
		if cy == nil || !supportedAt(*cy, deadline, in.Options.ExtendedSupport) {
			return nil
		}
		end = endOf(*cy, in.Options.ExtendedSupport)
	}
	x.replaced, x.toEnd = rep, end
	s := newStep(c, KindPackage, ActionReplace, rep.Product, x)
	s.From, s.FromCycle, s.To = strings.Join(x.versions, ", "), cycle, rep.Offer.Cycle
	s.ToProduct, s.ToLabel = rep.With, rep.Label
	s.OnOS = onOS
	x.onOS, x.onCycle = targetOS, targetCycle
	s.Hint = installCmd(in.Options.Registry, targetOS, targetCycle, rep.Offer.Packages...)
	return s
}
