package advisories

import (
	"fmt"
	"strings"
	"time"

	"upkeep/inventory"
	"upkeep/registry"
)

// debianListsURL is where Debian keeps the debian-security-support lists
// the collector reads on a host (docs/advisories.md, Debian).
const debianListsURL = "https://salsa.debian.org/debian/debian-security-support"

// debianListings keeps the listings that speak for this host's release:
// only on Debian, and an ended list only when it is the release's own
// (security-support-ended.deb12 on Debian 12). The collector reads only
// that one; an output that says otherwise is not trusted for it.
func debianListings(rep *inventory.Report, osr inventory.OSRelease) map[string][]inventory.SecurityListing {
	if len(rep.Listings) == 0 {
		return nil
	}
	product, cycle := OSCycle(osr)
	if product != "debian" || cycle == "" {
		return nil
	}
	var m map[string][]inventory.SecurityListing
	for _, l := range rep.Listings {
		if l.Kind == inventory.ListingEnded && l.List != "security-support-ended.deb"+cycle {
			continue
		}
		if m == nil {
			m = map[string][]inventory.SecurityListing{}
		}
		m[l.Package] = append(m[l.Package], l)
	}
	return m
}

// listingLife applies Debian's lists to a build's life. An ended listing
// is a date of its own: the list's day is the first without support
// (check-support-status counts it ended on that day), so the last patched
// day is the one before; the OS's own end still counts when earlier. A
// limited listing keeps the life and marks it, so that the verdict is never
// supported or distro-supported (applyLimited).
func listingLife(vl vendorLife, ls []inventory.SecurityListing, sup osSupport, at time.Time) vendorLife {
	for _, l := range ls {
		switch l.Kind {
		case inventory.ListingEnded:
			end := at.AddDate(0, 0, -1) // no date given: ended, as listed
			when := "at a date the list does not give"
			if d, err := time.Parse(time.DateOnly, l.Ends); err == nil {
				end, when = d.AddDate(0, 0, -1), "on "+l.Ends
			}
			detail := fmt.Sprintf("Debian lists %s as ending security support %s", l.Source, when)
			if l.Version != "" && l.Version != "0" {
				detail += " (last supported version " + l.Version + ")"
			}
			detail += listingNote(l)
			if !sup.until.IsZero() && sup.until.Before(end) {
				// The release ends first: its end counts, the listing is said.
				vl.detail = joinDetail(vl.detail, detail)
				continue
			}
			vl.kind, vl.until, vl.why = registry.SupportUntil, end, ""
			vl.who = fmt.Sprintf("%s (for source package %s, by its debian-security-support list)", sup.name, l.Source)
			vl.src = debianListsURL
			vl.detail = joinDetail(vl.detail, detail)
		case inventory.ListingLimited:
			vl.limited = fmt.Sprintf("Debian limits security support for %s on %s%s", l.Source, sup.name, listingNote(l))
		}
	}
	return vl
}

// listingNote is the list's own words and which list said it.
func listingNote(l inventory.SecurityListing) string {
	note := strings.TrimSpace(l.Note)
	if note == "" {
		return " (" + l.List + ")"
	}
	return fmt.Sprintf(": %q (%s)", note, l.List)
}

func joinDetail(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// applyLimited keeps a limited build from looking safe: Debian patches it
// only for some uses (trusted content, client side, building packages),
// and upkeep cannot tell how the host uses it, so supported and
// distro-supported become unknown with the list's note. Worse verdicts
// (eol, unpatched, eol-soon) stand, with the note added.
func applyLimited(v verdict, limited string) verdict {
	if limited == "" {
		return v
	}
	switch v.status {
	case VerdictSupported, VerdictDistroSupported:
		u := v
		u.status, u.distroUntil, u.days = VerdictUnknown, "", 0
		u.reason = limited + ": whether this build gets fixes depends on how it is used; " + v.reason
		return u
	}
	v.reason += "; " + limited
	return v
}
