// Package ssmfake is a local stand-in for AWS Systems Manager that speaks the
// same wire protocol as the real service (awsJson1_1, routed on the
// X-Amz-Target header), so tests and demos drive the real SDK client through
// an endpoint URL.
//
// Its managed instances are fixture hosts: SendCommand really runs the
// submitted script with sh in each fixture's environment, and the output is
// served back through GetCommandInvocation with SSM's limits (24,000
// characters of stdout, 8,000 of stderr). Faults are scriptable per server
// (latency, throttling, small pages, the "invocation does not exist yet"
// window) and per instance (offline, undeliverable, hanging, failing,
// unmanaged, Windows). API limits are enforced the way the service enforces
// them, so a client that works here respects them.
package ssmfake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"upkeep/internal/fixtures"
)

// Fault is what goes wrong with one instance.
type Fault string

// Instance faults. The zero value is a healthy host.
const (
	FaultNone          Fault = ""
	FaultUndeliverable Fault = "undeliverable" // online in SSM, but the command never reaches the agent
	FaultHang          Fault = "hang"          // the script never finishes: execution times out
	FaultFail          Fault = "fail"          // the script exits non-zero
)

// Instance is one node the fake SSM knows about.
type Instance struct {
	ID     string
	Region string // "" means the server's default region
	// Host is the fixture host the script runs on. Variant names it in the
	// run cache: instances with the same variant share one real run per
	// script (default: Host.Fixture, so give hosts that differ a variant).
	Host     fixtures.Host
	Variant  string
	Platform string // PlatformType: Linux (default), Windows, MacOS
	// PlatformName and PlatformVersion as SSM reports them ("Amazon Linux", "2").
	PlatformName    string
	PlatformVersion string
	Ping            string // PingStatus: Online (default), ConnectionLost, Inactive
	Unmanaged       bool   // not registered with SSM: not listed, SendCommand rejects it
	Fault           Fault
	Tags            map[string]string
	Inventory       bool // SSM Inventory holds AWS:Application data for it
	ComputerName    string
	IPAddress       string
	// Account is the AWS account the instance is in: only requests signed
	// with that account's credentials from the local STS see it. "" means
	// every caller sees it.
	Account string
}

func (in *Instance) platform() string {
	if in.Platform == "" {
		return "Linux"
	}
	return in.Platform
}

func (in *Instance) ping() string {
	if in.Ping == "" {
		return "Online"
	}
	return in.Ping
}

// Faults are server-wide behaviours.
type Faults struct {
	Latency      time.Duration // added to every API call
	ThrottleRate float64       // fraction of API calls answered with ThrottlingException
	PageSize     int           // when > 0, no page holds more items than this, whatever MaxResults says
	// Invisible is how long after SendCommand its invocations are unknown:
	// GetCommandInvocation answers InvocationDoesNotExist and
	// ListCommandInvocations leaves them out, as AWS does for a moment.
	Invisible time.Duration
	ExecDelay time.Duration // time an invocation takes at least
	// ExecJitter adds a random extra up to this much per invocation, so
	// invocations complete out of order.
	ExecJitter time.Duration
	// HangFor caps how long a FaultHang instance runs before it times out;
	// zero means the command's own executionTimeout.
	HangFor time.Duration
	Seed    uint64
	// S3Object, when set, decides what is stored at each output key of a
	// command with an output bucket (given what the host printed): tests
	// use it to play a bucket someone else can write to.
	S3Object func(key string, body []byte) []byte
}

// Runner runs a script on a fixture host.
type Runner interface {
	Run(ctx context.Context, variant string, h fixtures.Host, script string) (RunResult, error)
}

func (in *Instance) variant() string {
	if in.Variant != "" {
		return in.Variant
	}
	return in.Host.Fixture
}

// RunResult is what one script run printed and returned.
type RunResult struct {
	Stdout []byte
	Stderr []byte
	Code   int
}

// Server is the fake SSM endpoint (and the S3 bucket that command outputs go to).
type Server struct {
	region  string
	faults  Faults
	profile Profile
	runner  Runner
	// ownRunner: the server made its runner and cleans it up on Close.
	ownRunner bool
	sem       chan struct{} // bounds concurrent script runs
	start     time.Time
	clock     Clock

	mu        sync.Mutex
	rng       *rand.Rand
	instances []*Instance // sorted by id
	byID      map[string]*Instance
	commands  map[string]*command
	order     []*command // commands in the order sent
	nextCmd   int
	calls     map[string]int // API calls by operation, throttled ones included
	throttled map[string]int
	objects   map[string][]byte // S3: "bucket/key" -> body
	documents map[string]*document
	cache     map[string]*cacheEntry
}

// Option configures a Server.
type Option func(*Server)

// WithRegion sets the region requests are assumed to come from when their
// signature does not name one.
func WithRegion(r string) Option { return func(s *Server) { s.region = r } }

// WithFaults sets the server-wide faults.
func WithFaults(f Faults) Option { return func(s *Server) { s.faults = f } }

// Clock is the fake's time source: when invocations become visible and
// finish, and how long hangs and latency last. It is the same interface as
// upkeep/inventory/ssm.Clock, so a test can drive both with one clock.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type wallClock struct{}

func (wallClock) Now() time.Time                         { return time.Now() }
func (wallClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// WithClock sets the server's time source (default: the wall clock).
func WithClock(c Clock) Option { return func(s *Server) { s.clock = c } }

// WithRunner sets how scripts run; the default runs them on fixture hosts.
func WithRunner(r Runner) Option { return func(s *Server) { s.runner = r } }

// WithParallelism bounds how many scripts run at once (default 4).
func WithParallelism(n int) Option {
	return func(s *Server) {
		if n > 0 {
			s.sem = make(chan struct{}, n)
		}
	}
}

// New returns a server that knows the given instances.
func New(instances []Instance, opts ...Option) *Server {
	s := &Server{
		region:    "us-east-1",
		sem:       make(chan struct{}, 4),
		byID:      map[string]*Instance{},
		commands:  map[string]*command{},
		calls:     map[string]int{},
		throttled: map[string]int{},
		objects:   map[string][]byte{},
		documents: map[string]*document{},
		cache:     map[string]*cacheEntry{},
		clock:     wallClock{},
	}
	for _, o := range opts {
		o(s)
	}
	s.start = s.clock.Now()
	if s.runner == nil {
		s.runner = &FixtureRunner{}
		s.ownRunner = true
	}
	s.rng = rand.New(rand.NewPCG(s.faults.Seed, 0x55a1))
	for i := range instances {
		in := instances[i]
		if in.Region == "" {
			in.Region = s.region
		}
		s.instances = append(s.instances, &in)
		s.byID[in.ID] = &in
	}
	sort.Slice(s.instances, func(i, j int) bool { return s.instances[i].ID < s.instances[j].ID })
	return s
}

// Close removes what the server's own runner wrote (the fake host trees).
func (s *Server) Close() error {
	if c, ok := s.runner.(io.Closer); ok && s.ownRunner {
		return c.Close()
	}
	return nil
}

// Stats are the API calls the server answered, by operation.
type Stats struct {
	Calls     map[string]int // every call, throttled ones included
	Throttled map[string]int
}

// Total is the number of calls over every operation.
func (st Stats) Total() int {
	n := 0
	for _, c := range st.Calls {
		n += c
	}
	return n
}

// Stats returns a copy of the call counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{Calls: map[string]int{}, Throttled: map[string]int{}}
	for k, v := range s.calls {
		st.Calls[k] = v
	}
	for k, v := range s.throttled {
		st.Throttled[k] = v
	}
	return st
}

// ServeHTTP routes SSM calls on X-Amz-Target and anything else to the S3 side.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		s.serveS3(w, r)
		return
	}
	op, ok := strings.CutPrefix(target, "AmazonSSM.")
	if !ok {
		writeError(w, http.StatusBadRequest, "UnknownOperationException", "unknown target "+target)
		return
	}
	if s.unsupported(op) {
		s.mu.Lock()
		s.calls[op]++
		s.mu.Unlock()
		writeUnhandled(w)
		return
	}
	if s.faults.Latency > 0 {
		select {
		case <-s.clock.After(s.faults.Latency):
		case <-r.Context().Done():
			return
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", err.Error())
		return
	}
	region := regionOf(r.Header.Get("Authorization"), s.region)

	s.mu.Lock()
	s.calls[op]++
	throttle := s.faults.ThrottleRate > 0 && s.rng.Float64() < s.faults.ThrottleRate
	if throttle {
		s.throttled[op]++
	}
	s.mu.Unlock()
	if throttle {
		writeError(w, http.StatusBadRequest, "ThrottlingException", "Rate exceeded")
		return
	}

	h, ok := s.handlers()[op]
	if !ok {
		writeError(w, http.StatusBadRequest, "UnknownOperationException", "operation "+op+" is not implemented by this fake")
		return
	}
	ctx := context.WithValue(r.Context(), accountKey{}, AccountOfAccessKey(accessKeyOf(r.Header.Get("Authorization"))))
	out, apiErr := h(ctx, region, body)
	if apiErr != nil {
		writeError(w, apiErr.status, apiErr.code, apiErr.msg)
		return
	}
	b, err := json.Marshal(out)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "InternalServerError", err.Error())
		return
	}
	// A whole body with its length, as AWS answers: no chunked encoding.
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("X-Amzn-Requestid", fmt.Sprintf("fake-%d", time.Now().UnixNano()))
	_, _ = w.Write(b) // a client that went away needs no answer
}

type accountKey struct{}

// elsewhere reports whether an instance is out of a request's sight: in
// another region, or in an account other than the caller's.
func elsewhere(ctx context.Context, in *Instance, region string) bool {
	if in.Region != region {
		return true
	}
	caller, _ := ctx.Value(accountKey{}).(string)
	return in.Account != "" && in.Account != caller
}

type handler func(ctx context.Context, region string, body []byte) (any, *apiError)

func (s *Server) handlers() map[string]handler {
	return map[string]handler{
		"SendCommand":                  s.sendCommand,
		"ListCommandInvocations":       s.listCommandInvocations,
		"GetCommandInvocation":         s.getCommandInvocation,
		"ListCommands":                 s.listCommands,
		"CancelCommand":                s.cancelCommand,
		"DescribeInstanceInformation":  s.describeInstanceInformation,
		"GetInventory":                 s.getInventory,
		"GetDocument":                  s.getDocument,
		"CreateDocument":               s.createDocument,
		"UpdateDocument":               s.updateDocument,
		"UpdateDocumentDefaultVersion": s.updateDocumentDefaultVersion,
	}
}

// apiError is an SSM error as the service returns it.
type apiError struct {
	status int
	code   string
	msg    string
}

func clientErr(code, format string, a ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code, msg: fmt.Sprintf(format, a...)}
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", fmt.Sprintf("fake-%d", time.Now().UnixNano()))
	b, _ := json.Marshal(map[string]string{"__type": code, "message": msg})
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// decode reads a request body strictly enough to catch a client that sends
// the wrong member names: unknown members are rejected.
func decode(body []byte, v any) *apiError {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return clientErr("SerializationException", "cannot read request: %v", err)
	}
	return nil
}

// regionOf takes the region from a SigV4 Authorization header
// ("Credential=AKID/20250101/eu-west-1/ssm/aws4_request"), so one server can
// stand in for several regions.
func regionOf(auth, def string) string {
	_, cred, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return def
	}
	parts := strings.Split(cred, "/")
	if len(parts) < 3 || parts[2] == "" {
		return def
	}
	return parts[2]
}

// epoch is a timestamp on the wire: seconds since 1970 as a JSON number.
type epoch time.Time

func (e epoch) MarshalJSON() ([]byte, error) {
	t := time.Time(e)
	return []byte(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', 3, 64)), nil
}

// page cuts items[from:] to one page and returns the next token.
func (s *Server) page(n, maxResults int, token string, def, lo, hi int) (from, to int, next string, err *apiError) {
	if maxResults == 0 {
		maxResults = def
	}
	if s.profile.IgnorePaging && !s.profile.EmptyFirstPage {
		return 0, n, "", nil
	}
	if maxResults < lo || maxResults > hi {
		return 0, 0, "", clientErr("ValidationException", "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between %d and %d", maxResults, lo, hi)
	}
	if s.faults.PageSize > 0 && s.faults.PageSize < maxResults {
		maxResults = s.faults.PageSize
	}
	if token == "" && s.profile.EmptyFirstPage && n > 0 {
		return 0, 0, "fake-next-0", nil
	}
	if s.profile.IgnorePaging {
		return 0, n, "", nil
	}
	if token != "" {
		v, ok := strings.CutPrefix(token, "fake-next-")
		from, perr := strconv.Atoi(v)
		if !ok || perr != nil || from < 0 || from > n {
			return 0, 0, "", clientErr("InvalidNextToken", "The specified token isn't valid.")
		}
		to = min(from+maxResults, n)
		if to < n {
			next = "fake-next-" + strconv.Itoa(to)
		}
		return from, to, next, nil
	}
	to = min(maxResults, n)
	if to < n {
		next = "fake-next-" + strconv.Itoa(to)
	}
	return 0, to, next, nil
}

// Invocations counts, per instance id, the commands sent to it so far.
func (s *Server) Invocations() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := map[string]int{}
	for _, c := range s.order {
		for _, inv := range c.invs {
			n[inv.inst.ID]++
		}
	}
	return n
}
