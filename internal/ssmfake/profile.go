package ssmfake

import (
	"net/http"
	"strconv"
	"time"
)

// Profile narrows the server to what a less complete SSM-compatible server
// does, each behaviour on its own switch, so upkeep is tested against the
// documented API and not only against this fake's full model of it.
type Profile struct {
	// Unsupported operations are answered as a server without them does:
	// HTTP 500 with a web page, not an SSM error.
	Unsupported []string
	// IgnorePaging: MaxResults and NextToken are ignored; one page holds
	// everything and carries no NextToken.
	IgnorePaging bool
	// EmptyFirstPage: the first page of every listing is empty but has a
	// NextToken, which the API allows.
	EmptyFirstPage bool
	// IgnoreFilters: DescribeInstanceInformation filters are accepted and
	// ignored: every instance is listed.
	IgnoreFilters bool
	// Sparse: InstanceInformation carries InstanceId only; every optional
	// member (PingStatus, PlatformType, ...) is left out.
	Sparse bool
	// Instant: nothing runs; every invocation is Success as soon as it is
	// sent, with empty output.
	Instant bool
	// AnyInstance: SendCommand accepts any instance id, managed or not.
	AnyInstance bool
	// StringTimestamps: timestamps are ISO-8601 strings without a zone
	// instead of epoch seconds.
	StringTimestamps bool
}

// Minimal is what moto's SSM offers for Run Command (moto/ssm/models.py and
// responses.py, checked in its sources): SendCommand, ListCommands and
// GetCommandInvocation only; commands are Success at once with empty output;
// any instance id is accepted; timestamps are ISO strings. Operations it
// lacks raise in moto's dispatcher, which its server turns into HTTP 500.
func Minimal() Profile {
	return Profile{
		Unsupported:      []string{"DescribeInstanceInformation", "ListCommandInvocations", "CancelCommand", "GetInventory"},
		IgnorePaging:     true,
		Instant:          true,
		AnyInstance:      true,
		StringTimestamps: true,
	}
}

// Lenient implements every operation upkeep calls, loosely: filters and
// paging ignored, a first page empty, sparse instance information.
func Lenient() Profile {
	return Profile{IgnorePaging: true, EmptyFirstPage: true, IgnoreFilters: true, Sparse: true}
}

// WithProfile sets the server's profile.
func WithProfile(p Profile) Option { return func(s *Server) { s.profile = p } }

// Profiles by name, for the command's -profile flag.
var Profiles = map[string]func() Profile{"full": func() Profile { return Profile{} }, "minimal": Minimal, "lenient": Lenient}

func (s *Server) unsupported(op string) bool {
	for _, u := range s.profile.Unsupported {
		if u == op {
			return true
		}
	}
	return false
}

// writeUnhandled answers as a web framework does for an exception no
// handler caught.
func writeUnhandled(w http.ResponseWriter) {
	body := "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n"
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte(body))
}

// ts is a timestamp on the wire as the profile wants it.
func (s *Server) ts(t time.Time) any {
	if s.profile.StringTimestamps {
		return t.UTC().Format("2006-01-02T15:04:05.000000")
	}
	return epoch(t)
}
