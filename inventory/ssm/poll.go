package ssm

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"upkeep/inventory"
)

// MaxStdout is how much standard output GetCommandInvocation returns
// (StandardOutputContent: the first 24,000 characters).
const MaxStdout = 24000

// poll lists one command's invocations with a growing interval until every
// host has a final status, hands finished ones to the fetchers and gives up
// on the rest once delivery and execution timeouts have both passed.
func (r *run) poll(ctx context.Context, cmd string, batch []Target) {
	s := r.s
	waiting := map[string]Target{}
	for _, t := range batch {
		waiting[t.Host.ID] = t
	}
	deadline := s.clock.Now().Add(s.opt.DeliveryTimeout + s.opt.ExecutionTimeout + 2*s.opt.PollMax)
	delay := s.opt.PollMin
	for len(waiting) > 0 {
		select {
		case <-s.clock.After(delay):
		case <-ctx.Done():
			return
		}
		if r.isStopped() {
			return
		}
		delay = min(delay*3/2, s.opt.PollMax)
		invs, err := r.list(ctx, cmd)
		if _, ok := unsupported(err); ok {
			// No ListCommandInvocations: ask each host's invocation
			// instead, as the AWS CLI's command-executed waiter does.
			r.pollEach(ctx, cmd, waiting, deadline, delay)
			return
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if !isTransient(err) {
				for id, t := range waiting {
					r.emit(ctx, r.obs(t, inventory.StatusFailed, fmt.Sprintf("poll command %s: %v", cmd, err)))
					delete(waiting, id)
				}
				return
			}
			if s.clock.Now().After(deadline) {
				for id, t := range waiting {
					r.emit(ctx, r.obs(t, inventory.StatusThrottled, fmt.Sprintf("poll command %s: %v", cmd, err)))
					delete(waiting, id)
				}
				return
			}
			continue // throttled beyond the SDK's retries: try at the next tick
		}
		for _, inv := range invs {
			id := aws.ToString(inv.InstanceId)
			t, ok := waiting[id]
			if !ok || !final(inv.Status, inv.StatusDetails) {
				continue
			}
			delete(waiting, id)
			f := fetch{cmd: cmd, t: t, status: inv.Status, details: aws.ToString(inv.StatusDetails)}
			if o, done := r.classify(f); done {
				r.emit(ctx, o)
				continue
			}
			select {
			case r.fetches <- f:
			case <-ctx.Done():
				return
			}
		}
		if len(waiting) > 0 && s.clock.Now().After(deadline) {
			r.expire(ctx, cmd, waiting)
			return
		}
	}
}

// expire stores the hosts that never reached a final status as timed out
// and cancels what is left of the command.
func (r *run) expire(ctx context.Context, cmd string, waiting map[string]Target) {
	s := r.s
	var ids []string
	for id, t := range waiting {
		r.emit(ctx, r.obs(t, inventory.StatusTimedOut, fmt.Sprintf("no final status from SSM within %s (command %s)",
			(s.opt.DeliveryTimeout+s.opt.ExecutionTimeout).Round(time.Second), cmd)))
		ids = append(ids, id)
	}
	// Best effort, as for Ctrl-C: the hosts are recorded either way.
	_, _ = s.api.CancelCommand(ctx, &awsssm.CancelCommandInput{CommandId: aws.String(cmd), InstanceIds: ids})
}

// pollEach polls a command host by host with GetCommandInvocation, for an
// endpoint without ListCommandInvocations. One call per host and round
// instead of one per 50 hosts, so it is the fallback, never the default. A
// final answer is judged at once: it already carries the output.
func (r *run) pollEach(ctx context.Context, cmd string, waiting map[string]Target, deadline time.Time, delay time.Duration) {
	s := r.s
	for first := true; len(waiting) > 0; first = false {
		if !first {
			select {
			case <-s.clock.After(delay):
			case <-ctx.Done():
				return
			}
			delay = min(delay*3/2, s.opt.PollMax)
		}
		ids := make([]string, 0, len(waiting))
		for id := range waiting {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			if r.isStopped() || ctx.Err() != nil {
				return
			}
			t := waiting[id]
			f := fetch{cmd: cmd, t: t}
			out, err := r.get(ctx, f)
			var missing *types.InvocationDoesNotExist
			switch {
			case errors.As(err, &missing):
				continue // not known yet
			case err != nil && ctx.Err() != nil:
				return
			case err != nil:
				delete(waiting, id)
				r.emit(ctx, r.fetchFailed(f, err))
				continue
			case !final(out.Status, out.StatusDetails):
				continue
			}
			delete(waiting, id)
			f.status, f.details = out.Status, aws.ToString(out.StatusDetails)
			if o, done := r.classify(f); done {
				r.emit(ctx, o)
				continue
			}
			if o, ok := r.result(ctx, f, out); ok {
				r.emit(ctx, o)
			}
		}
		if len(waiting) > 0 && s.clock.Now().After(deadline) {
			r.expire(ctx, cmd, waiting)
			return
		}
	}
}

// list reads every invocation of a command (one page per 50 hosts). Right
// after SendCommand the list may be empty or short: SSM is eventually
// consistent, and a missing invocation is simply not final yet.
func (r *run) list(ctx context.Context, cmd string) ([]types.CommandInvocation, error) {
	var out []types.CommandInvocation
	p := awsssm.NewListCommandInvocationsPaginator(r.s.api, &awsssm.ListCommandInvocationsInput{
		CommandId: aws.String(cmd), MaxResults: aws.Int32(MaxInstancesPerCommand),
	}, func(o *awsssm.ListCommandInvocationsPaginatorOptions) { o.StopOnDuplicateToken = true })
	for pages := 0; p.HasMorePages() && pages < maxPages; pages++ {
		var page *awsssm.ListCommandInvocationsOutput
		err := r.s.persist.do(ctx, func() error {
			var err error
			page, err = p.NextPage(ctx)
			return err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, page.CommandInvocations...)
	}
	return out, nil
}

// squash turns a StatusDetails value into a key that is the same whether a
// server spells it "Delivery Timed Out" or "DeliveryTimedOut".
func squash(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, " ", ""))
}

func final(st types.CommandInvocationStatus, details *string) bool {
	switch squash(aws.ToString(details)) {
	case "pending", "inprogress", "delayed", "delayed(retrying)", "cancelling":
		return false
	case "success", "failed", "deliverytimedout", "executiontimedout", "undeliverable", "terminated",
		"cancelled", "accessdenied", "noinstancesintag", "rateexceeded", "incomplete":
		return true
	}
	switch st {
	case types.CommandInvocationStatusSuccess, types.CommandInvocationStatusFailed,
		types.CommandInvocationStatusTimedOut, types.CommandInvocationStatusCancelled:
		return true
	}
	return false
}

func (r *run) obs(t Target, st inventory.Status, msg string) inventory.Observation {
	return inventory.Observation{ScanID: r.scanID, Host: t.Host, Status: st, Error: msg}
}

// classify decides a final invocation that needs no output to judge; done is
// false for those whose output must be fetched (success, or a failure whose
// stderr says why).
func (r *run) classify(f fetch) (o inventory.Observation, done bool) {
	exec := r.s.opt.ExecutionTimeout.Round(time.Second)
	delivery := r.s.opt.DeliveryTimeout.Round(time.Second)
	switch squash(f.details) {
	case "undeliverable":
		return r.obs(f.t, inventory.StatusUndeliverable, "SSM could not deliver the command (Undeliverable): the agent is not running or cannot reach SSM"), true
	case "deliverytimedout":
		return r.obs(f.t, inventory.StatusTimedOut, fmt.Sprintf("delivery timed out: the agent did not take the command within %s", delivery)), true
	case "executiontimedout":
		return r.obs(f.t, inventory.StatusTimedOut, fmt.Sprintf("execution timed out: the collector ran longer than %s (raise --timeout)", exec)), true
	case "terminated":
		return r.obs(f.t, inventory.StatusFailed, "terminated by SSM: the command reached --max-errors"), true
	case "rateexceeded":
		return r.obs(f.t, inventory.StatusThrottled, "SSM canceled the invocation: account limit for pending invocations (Rate Exceeded)"), true
	case "accessdenied":
		return r.obs(f.t, inventory.StatusFailed, "access denied: the caller may not run "+r.s.opt.documentName()+" on this instance"), true
	case "cancelled":
		return r.obs(f.t, inventory.StatusFailed, "cancelled in SSM before it finished"), true
	}
	switch f.status {
	case types.CommandInvocationStatusSuccess, types.CommandInvocationStatusFailed:
		return inventory.Observation{}, false
	case types.CommandInvocationStatusTimedOut:
		return r.obs(f.t, inventory.StatusTimedOut, fmt.Sprintf("timed out (%s)", f.details)), true
	}
	return r.obs(f.t, inventory.StatusFailed, fmt.Sprintf("SSM status %s (%s)", f.status, f.details)), true
}

// fetch reads one finished invocation's output and judges it. ok is false
// when the scan was interrupted before the answer came: the host stays
// pending.
func (r *run) fetch(ctx context.Context, f fetch) (inventory.Observation, bool) {
	s := r.s
	var out *awsssm.GetCommandInvocationOutput
	var err error
	for attempt := 0; ; attempt++ {
		out, err = r.get(ctx, f)
		var missing *types.InvocationDoesNotExist
		if err == nil || !errors.As(err, &missing) || attempt >= 4 {
			break
		}
		// The list already showed it: this is the API's eventual
		// consistency, not a missing host.
		select {
		case <-s.clock.After(backoff(s.opt.PollMin, s.opt.PollMax, attempt)):
		case <-ctx.Done():
			return inventory.Observation{}, false
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return inventory.Observation{}, false
		}
		return r.fetchFailed(f, err), true
	}
	return r.result(ctx, f, out)
}

// get is one GetCommandInvocation, with upkeep's own retries on throttling.
func (r *run) get(ctx context.Context, f fetch) (*awsssm.GetCommandInvocationOutput, error) {
	var out *awsssm.GetCommandInvocationOutput
	err := r.s.persist.do(ctx, func() error {
		var err error
		out, err = r.s.api.GetCommandInvocation(ctx, &awsssm.GetCommandInvocationInput{
			CommandId: aws.String(f.cmd), InstanceId: aws.String(f.t.Host.ID),
		})
		return err
	})
	return out, err
}

func (r *run) fetchFailed(f fetch, err error) inventory.Observation {
	st := inventory.StatusFailed
	if isThrottle(err) {
		st = inventory.StatusThrottled
	}
	return r.obs(f.t, st, fmt.Sprintf("get result of command %s: %v", f.cmd, err))
}

// result judges a final invocation's output, read in full from S3 when a
// bucket was given. ok is false when the scan was interrupted meanwhile.
func (r *run) result(ctx context.Context, f fetch, out *awsssm.GetCommandInvocationOutput) (inventory.Observation, bool) {
	s := r.s
	stdout := aws.ToString(out.StandardOutputContent)
	if s.opt.S3Bucket == "" {
		return r.judge(f, out, stdout), true
	}
	key := s3Key(s.opt.S3Prefix, f.cmd, f.t.Host.ID, s.opt.stepDir(), "stdout")
	if u := aws.ToString(out.StandardOutputUrl); u != "" {
		// SSM names the object it wrote: read that one, once it is shown
		// to be in the bucket and under this command and instance.
		k, reason := keyFromURL(u, s.opt.S3Bucket, s.opt.S3Prefix, f.cmd, f.t.Host.ID)
		if reason != "" {
			return r.obs(f.t, inventory.StatusUnparsable, reason), true
		}
		key = k
	}
	full, err := s.objects.Get(ctx, s.opt.S3Bucket, key, inventory.MaxOutput)
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return inventory.Observation{}, false
	case errors.Is(err, ErrObjectTooLarge):
		return r.obs(f.t, inventory.StatusUnparsable, fmt.Sprintf(
			"output in S3 is over the %d MiB limit of one host's collector output: %v", inventory.MaxOutput>>20, err)), true
	default:
		// The excerpt is still there; say why it may be cut.
		o := r.judge(f, out, stdout)
		if o.Status != inventory.StatusOK {
			o.Error += fmt.Sprintf(" (full output not read from S3: %v)", err)
		}
		return o, true
	}
	if reason := excerptMismatch(string(full), stdout); reason != "" {
		return r.obs(f.t, inventory.StatusUnparsable, fmt.Sprintf("s3://%s/%s %s", s.opt.S3Bucket, key, reason)), true
	}
	return r.judge(f, out, string(full)), true
}

// s3Key is where SSM writes an invocation's full output in the bucket:
// PREFIX/COMMAND_ID/INSTANCE_ID/PLUGIN/STEP/stdout. The key holds the
// command and the instance, so an object is only ever read for the
// invocation it belongs to.
func s3Key(prefix, cmd, instance, step, stream string) string {
	key := cmd + "/" + instance + "/" + step + "/" + stream
	if p := strings.Trim(prefix, "/"); p != "" {
		key = p + "/" + key
	}
	return key
}

// keyFromURL takes the object key from the StandardOutputUrl SSM gave for
// an invocation (path-style https://s3.REGION.amazonaws.com/BUCKET/KEY or
// virtual-hosted https://BUCKET.s3.REGION.amazonaws.com/KEY) and checks that
// it is in the bucket, under the prefix, the command id and the instance id
// it belongs to; reason says why not.
func keyFromURL(raw, bucket, prefix, cmd, instance string) (key, reason string) {
	bad := func() (string, string) {
		return "", fmt.Sprintf("SSM says this invocation's output is at %s, which is not s3://%s/%s: not read", raw, bucket, s3Key(prefix, cmd, instance, "...", "stdout"))
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return bad()
	}
	p := strings.TrimPrefix(u.Path, "/")
	switch {
	case strings.HasPrefix(u.Host, bucket+"."):
		key = p
	case strings.HasPrefix(p, bucket+"/"):
		key = strings.TrimPrefix(p, bucket+"/")
	default:
		return bad()
	}
	want := cmd + "/" + instance + "/"
	if pr := strings.Trim(prefix, "/"); pr != "" {
		want = pr + "/" + want
	}
	if !strings.HasPrefix(key, want) || !strings.HasSuffix(key, "/stdout") || strings.Contains(key, "/../") {
		return bad()
	}
	return key, ""
}

// excerptMismatch compares the object read from S3 with the excerpt SSM
// returned through the API (its first 24,000 characters): the object must
// start with the excerpt, and be the excerpt when that was not cut. Anyone
// who can write to the bucket could otherwise hand upkeep another host's
// output, or a crafted one.
func excerptMismatch(full, excerpt string) string {
	ex := strings.TrimRight(excerpt, " \t\r\n")
	if ex == "" {
		return ""
	}
	if utf8.RuneCountInString(excerpt) < MaxStdout {
		if strings.TrimRight(full, " \t\r\n") != ex {
			return fmt.Sprintf("differs from the output SSM returned for this invocation (%d bytes in S3, %d through the API): not trusted", len(full), len(excerpt))
		}
		return ""
	}
	if !strings.HasPrefix(full, ex) {
		return "does not start with the output SSM returned for this invocation: not trusted"
	}
	return ""
}

func (r *run) judge(f fetch, out *awsssm.GetCommandInvocationOutput, stdout string) inventory.Observation {
	if out.Status != types.CommandInvocationStatusSuccess {
		msg := fmt.Sprintf("collector exited with code %d", out.ResponseCode)
		if line := lastLine(aws.ToString(out.StandardErrorContent)); line != "" {
			msg += ": " + line
		}
		return r.obs(f.t, inventory.StatusFailed, msg)
	}
	if strings.TrimSpace(stdout) == "" {
		// Success with nothing printed: the collector always prints its
		// header, so the output was lost (or the server returns none).
		return r.obs(f.t, inventory.StatusUnparsable, "empty output: SSM reported Success but StandardOutputContent is empty (the collector always prints a header; scan again, or use --s3-bucket)")
	}
	rep, err := inventory.Parse([]byte(stdout))
	switch {
	case err == nil:
		o := r.obs(f.t, inventory.StatusOK, "")
		o.Report = rep
		if o.Host.Name == "" {
			o.Host.Name = rep.Facts.Hostname
		}
		return o
	case errors.Is(err, inventory.ErrTruncated) && utf8.RuneCountInString(stdout) >= MaxStdout:
		return r.obs(f.t, inventory.StatusTruncated, fmt.Sprintf(
			"output cut at SSM's %d-character limit: scan it again with --s3-bucket to read the full output", MaxStdout))
	case errors.Is(err, inventory.ErrTruncated):
		return r.obs(f.t, inventory.StatusTruncated, err.Error())
	default:
		return r.obs(f.t, inventory.StatusUnparsable, err.Error())
	}
}

// lastLine is the last non-empty line of s, cut to 200 characters.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	l := strings.TrimSpace(lines[len(lines)-1])
	if utf8.RuneCountInString(l) > 200 {
		l = string([]rune(l)[:200]) + "..."
	}
	return l
}
