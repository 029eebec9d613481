package ssm

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"upkeep/inventory"
)

// Limits of the SSM API that shape the fan-out (API model).
const (
	MaxInstancesPerCommand = 50  // SendCommand InstanceIds, CancelCommand InstanceIds
	maxComment             = 100 // SendCommand Comment
	minDeliveryTimeout     = 30  // SendCommand TimeoutSeconds, seconds
	runShellScript         = "AWS-RunShellScript"
)

// Options tune a scan. The zero value of each field means its default.
type Options struct {
	Script           []byte        // the collector
	Comment          string        // shown in the SSM console, cut to 100 characters; default "upkeep scan ID"
	MaxConcurrency   string        // per command (SSM syntax: "50" or "10%"); default "50"
	MaxErrors        string        // per command; default "100%" so one bad host never stops the others
	ExecutionTimeout time.Duration // per host; default 10m
	DeliveryTimeout  time.Duration // how long SSM tries to deliver (TimeoutSeconds); default 10m
	S3Bucket         string        // read full outputs from here instead of the 24,000-character excerpt
	S3Prefix         string
	// Document is the SSM Command document to send: "" means
	// AWS-RunShellScript with the collector as its commands; a name means
	// a document made by Document (the collector inside, one parameter).
	Document         string
	PollMin, PollMax time.Duration // polling backoff per command; default 2s growing to 30s
	Fetchers         int           // concurrent GetCommandInvocation calls; default 8
	// PersistRounds and PersistBase bound upkeep's own retries of a call
	// that the SDK gave up on because of throttling; default 4 rounds from 2s.
	PersistRounds int
	PersistBase   time.Duration
	// Clock drives polling, upkeep's own retries and the timeout deadline;
	// nil means the wall clock.
	Clock Clock
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.MaxConcurrency == "" {
		o.MaxConcurrency = "50"
	}
	if o.MaxErrors == "" {
		o.MaxErrors = "100%"
	}
	def(&o.ExecutionTimeout, 10*time.Minute)
	def(&o.DeliveryTimeout, 10*time.Minute)
	if o.DeliveryTimeout < minDeliveryTimeout*time.Second {
		o.DeliveryTimeout = minDeliveryTimeout * time.Second
	}
	def(&o.PollMin, 2*time.Second)
	def(&o.PollMax, 30*time.Second)
	if o.Fetchers <= 0 {
		o.Fetchers = 8
	}
	if o.PersistRounds <= 0 {
		o.PersistRounds = 4
	}
	def(&o.PersistBase, 2*time.Second)
	if o.Clock == nil {
		o.Clock = WallClock{}
	}
	if len(o.Comment) > maxComment {
		o.Comment = o.Comment[:maxComment]
	}
	return o
}

// Events hears about a scan's progress, for a progress bar or a log. Sent
// and Done come from different goroutines, and regions scan in parallel:
// an implementation must be safe for concurrent use.
type Events interface {
	Sent(region string, hosts int)
	Done(o inventory.Observation)
}

// Save stores one result. The scan calls it from one goroutine, as soon as
// each result arrives; an error from it stops the scan.
type Save func(ctx context.Context, o inventory.Observation) error

// Scanner scans the instances of one region.
type Scanner struct {
	api     API
	objects Objects
	region  string
	account string
	opt     Options
	persist persister
	clock   Clock
	reached atomic.Bool // a server has answered a call of this scanner
}

// NewScanner returns a scanner for one region's clients.
func NewScanner(c *Clients, opt Options) *Scanner {
	opt = opt.withDefaults()
	return &Scanner{
		api: c.SSM, objects: c.Objects, region: c.Region, account: c.Account, opt: opt, clock: opt.Clock,
		persist: persister{rounds: opt.PersistRounds, base: opt.PersistBase, max: 60 * time.Second, clock: opt.Clock},
	}
}

// Region is the region the scanner works in.
func (s *Scanner) Region() string { return s.region }

// Account is the AWS account the scanner's credentials are in, "" when
// the scan did not say (one account, whichever the credentials are in).
func (s *Scanner) Account() string { return s.account }

// Run sends the collector to every target whose status is pending, polls
// until each has a final status or the timeouts pass, and saves each result
// as it arrives. Targets with any other status are not touched (the caller
// has stored them already). When ctx is cancelled Run cancels its commands
// in SSM, saves what already arrived and returns ctx's error; hosts with no
// result keep their pending rows, for --resume.
func (s *Scanner) Run(ctx context.Context, scanID int64, targets []Target, save Save, ev Events) error {
	var todo []Target
	for _, t := range targets {
		if t.Status == inventory.StatusPending {
			todo = append(todo, t)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	r := &run{s: s, scanID: scanID, ev: ev,
		results: make(chan inventory.Observation),
		fetches: make(chan fetch),
		open:    map[string]map[string]bool{},
	}
	var producers, fetchers sync.WaitGroup
	producers.Add(1)
	go func() {
		defer producers.Done()
		r.send(ctx, todo, &producers)
	}()
	for range s.opt.Fetchers {
		fetchers.Add(1)
		go func() {
			defer fetchers.Done()
			for f := range r.fetches {
				o, ok := r.fetch(ctx, f)
				if ok {
					r.emit(ctx, o)
				}
			}
		}()
	}
	go func() {
		producers.Wait()
		close(r.fetches)
		fetchers.Wait()
		close(r.results)
	}()

	// What arrived is kept even when the scan is interrupted: saving does
	// not depend on ctx.
	keep := context.WithoutCancel(ctx)
	var saveErr error
	for o := range r.results {
		if saveErr != nil {
			continue // drain so the producers can finish
		}
		if err := save(keep, o); err != nil {
			saveErr = err
			r.stop()
			continue
		}
		r.done(o)
		if ev != nil {
			ev.Done(o)
		}
	}
	if ctx.Err() != nil || saveErr != nil {
		r.cancelOpen(keep)
	}
	if saveErr != nil {
		return saveErr
	}
	return ctx.Err()
}

// run is the state of one Scanner.Run.
type run struct {
	s       *Scanner
	scanID  int64
	ev      Events
	results chan inventory.Observation
	fetches chan fetch

	mu      sync.Mutex
	open    map[string]map[string]bool // command id -> instance ids with no result saved yet
	stopped bool
}

type fetch struct {
	cmd     string
	t       Target
	status  types.CommandInvocationStatus
	details string
}

func (r *run) stop() {
	r.mu.Lock()
	r.stopped = true
	r.mu.Unlock()
}

func (r *run) isStopped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopped
}

// emit hands a result to the saver, which drains until every producer is
// done, interrupted or not: a result that arrived is kept.
func (r *run) emit(_ context.Context, o inventory.Observation) {
	r.results <- o
}

// done forgets a host once its result is saved.
func (r *run) done(o inventory.Observation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ids := range r.open {
		delete(ids, o.Host.ID)
	}
}

// send fans the targets out in commands of at most 50 instances and starts
// one poller per command.
func (r *run) send(ctx context.Context, todo []Target, pollers *sync.WaitGroup) {
	for i := 0; i < len(todo); i += MaxInstancesPerCommand {
		if ctx.Err() != nil || r.isStopped() {
			return
		}
		r.sendBatch(ctx, todo[i:min(i+MaxInstancesPerCommand, len(todo))], pollers)
	}
}

func (r *run) sendBatch(ctx context.Context, batch []Target, pollers *sync.WaitGroup) {
	s := r.s
	ids := make([]string, len(batch))
	for i, t := range batch {
		ids[i] = t.Host.ID
	}
	comment := s.opt.Comment
	if comment == "" {
		// Names the tool and the scan in the SSM console and command history.
		comment = fmt.Sprintf("upkeep scan %d", r.scanID)
	}
	params := map[string][]string{
		"executionTimeout": {strconv.Itoa(int(max(s.opt.ExecutionTimeout/time.Second, 1)))},
	}
	if s.opt.Document == "" {
		params["commands"] = []string{string(s.opt.Script)}
	}
	in := &awsssm.SendCommandInput{
		DocumentName:   aws.String(s.opt.documentName()),
		InstanceIds:    ids,
		Comment:        aws.String(comment),
		MaxConcurrency: aws.String(s.opt.MaxConcurrency),
		MaxErrors:      aws.String(s.opt.MaxErrors),
		TimeoutSeconds: aws.Int32(int32(s.opt.DeliveryTimeout / time.Second)),
		Parameters:     params,
	}
	if s.opt.S3Bucket != "" {
		in.OutputS3BucketName = aws.String(s.opt.S3Bucket)
		if s.opt.S3Prefix != "" {
			in.OutputS3KeyPrefix = aws.String(s.opt.S3Prefix)
		}
	}
	var out *awsssm.SendCommandOutput
	err := s.persist.do(ctx, func() error {
		var err error
		out, err = s.api.SendCommand(ctx, in)
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		var badID *types.InvalidInstanceId
		var platform *types.UnsupportedPlatformType
		if len(batch) > 1 && (errors.As(err, &badID) || errors.As(err, &platform)) {
			// One instance left SSM (or changed) since discovery and the
			// service rejects the whole call: split it until the culprit
			// is alone, so it costs a few calls and never the others.
			half := len(batch) / 2
			r.sendBatch(ctx, batch[:half], pollers)
			r.sendBatch(ctx, batch[half:], pollers)
			return
		}
		status := inventory.StatusFailed
		switch {
		case isThrottle(err):
			status = inventory.StatusThrottled
		case errors.As(err, &badID):
			status = inventory.StatusUndeliverable
		case errors.As(err, &platform):
			status = inventory.StatusUnsupported
		}
		for _, t := range batch {
			r.emit(ctx, inventory.Observation{ScanID: r.scanID, Host: t.Host, Status: status,
				Error: fmt.Sprintf("send command in %s: %v", s.region, err)})
		}
		return
	}
	id := aws.ToString(out.Command.CommandId)
	r.mu.Lock()
	open := map[string]bool{}
	for _, t := range batch {
		open[t.Host.ID] = true
	}
	r.open[id] = open
	r.mu.Unlock()
	if r.ev != nil {
		r.ev.Sent(s.region, len(batch))
	}
	pollers.Add(1)
	go func() {
		defer pollers.Done()
		r.poll(ctx, id, batch)
	}()
}

// cancelOpen asks SSM to cancel what an interrupted scan left running.
func (r *run) cancelOpen(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, ids := range r.open {
		if len(ids) == 0 {
			continue
		}
		// Best effort: SSM does not promise the cancel lands, and a failure
		// here must not hide the interruption the user asked for.
		_, _ = r.s.api.CancelCommand(ctx, &awsssm.CancelCommandInput{CommandId: aws.String(id)})
	}
}
