package ssmfake

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// SSM's output limits (API model: StandardOutputContent, StandardErrorContent,
// CommandPluginOutput).
const (
	MaxStdout       = 24000
	MaxStderr       = 8000
	MaxPluginOutput = 2500
	pluginName      = "aws:runShellScript"
)

var (
	instanceIDRe  = regexp.MustCompile(`(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)`)
	concurrencyRe = regexp.MustCompile(`^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$`)
	maxErrorsRe   = regexp.MustCompile(`^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$`)
	execTimeoutRe = regexp.MustCompile(`^(([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800))$`)
)

type command struct {
	id, region, comment, document string
	requested                     time.Time
	params                        map[string][]string
	instanceIDs                   []string
	targets                       []target
	timeoutSeconds                int
	maxConcurrency, maxErrors     string
	bucket, prefix                string
	step                          string // PLUGIN/STEP in output keys
	invs                          []*invocation
	byInst                        map[string]*invocation
}

type invocation struct {
	cmd       *command
	inst      *Instance
	visibleAt time.Time
	started   time.Time
	ended     time.Time
	status    string // CommandInvocationStatus
	details   string
	code      int
	stdout    string // full output; the API cuts it
	stderr    string
	done      bool
	cancel    context.CancelFunc
}

type target struct {
	Key    string
	Values []string
}

type sendCommandInput struct {
	DocumentName           string
	DocumentVersion        string
	DocumentHash           string
	DocumentHashType       string
	InstanceIds            []string
	Targets                []target
	Parameters             map[string][]string
	TimeoutSeconds         *int
	Comment                string
	MaxConcurrency         string
	MaxErrors              string
	OutputS3BucketName     string
	OutputS3KeyPrefix      string
	OutputS3Region         string
	ServiceRoleArn         string
	NotificationConfig     map[string]any
	CloudWatchOutputConfig map[string]any
	AlarmConfiguration     map[string]any
}

func (s *Server) sendCommand(ctx context.Context, region string, body []byte) (any, *apiError) {
	var in sendCommandInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	switch {
	case in.DocumentName == "":
		return nil, clientErr("ValidationException", "DocumentName is required")
	case len(in.InstanceIds) > 50:
		return nil, clientErr("ValidationException", "1 validation error detected: Value at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50")
	case len(in.Targets) > 5:
		return nil, clientErr("ValidationException", "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length less than or equal to 5")
	case len(in.InstanceIds) == 0 && len(in.Targets) == 0:
		return nil, clientErr("ValidationException", "either InstanceIds or Targets is required")
	case len(in.InstanceIds) > 0 && len(in.Targets) > 0:
		return nil, clientErr("InvalidParameters", "InstanceIds and Targets cannot be used together")
	case len(in.Comment) > 100:
		return nil, clientErr("ValidationException", "1 validation error detected: Value at 'comment' failed to satisfy constraint: Member must have length less than or equal to 100")
	case in.MaxConcurrency != "" && !concurrencyRe.MatchString(in.MaxConcurrency):
		return nil, clientErr("ValidationException", "MaxConcurrency %q is not valid", in.MaxConcurrency)
	case in.MaxErrors != "" && !maxErrorsRe.MatchString(in.MaxErrors):
		return nil, clientErr("ValidationException", "MaxErrors %q is not valid", in.MaxErrors)
	case in.TimeoutSeconds != nil && (*in.TimeoutSeconds < 30 || *in.TimeoutSeconds > 2592000):
		return nil, clientErr("ValidationException", "TimeoutSeconds must be between 30 and 2592000")
	case in.OutputS3BucketName != "" && (len(in.OutputS3BucketName) < 3 || len(in.OutputS3BucketName) > 63):
		return nil, clientErr("ValidationException", "OutputS3BucketName must be 3-63 characters")
	}
	script, step, execTimeout, apiErr := s.resolveDocument(in.DocumentName, in.Parameters)
	if apiErr != nil {
		return nil, apiErr
	}
	for _, t := range in.Targets {
		if len(t.Values) > 50 {
			return nil, clientErr("ValidationException", "a target has more than 50 values")
		}
	}
	delivery := 3600
	if in.TimeoutSeconds != nil {
		delivery = *in.TimeoutSeconds
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	ids := in.InstanceIds
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return nil, clientErr("DuplicateInstanceId", "Instance Id %s is duplicated", id)
		}
		seen[id] = true
		in := s.byID[id]
		if s.profile.AnyInstance {
			continue
		}
		if !instanceIDRe.MatchString(id) || in == nil || in.Unmanaged || elsewhere(ctx, in, region) {
			return nil, clientErr("InvalidInstanceId", "Instances [[%s]] not in a valid state for account", id)
		}
		if in.platform() != "Linux" && in.platform() != "MacOS" {
			return nil, clientErr("UnsupportedPlatformType", "The document AWS-RunShellScript is not supported on the platform of instance %s", id)
		}
	}
	if len(in.Targets) > 0 {
		ids = s.resolveTargets(ctx, region, in.Targets)
	}

	s.nextCmd++
	now := s.clock.Now()
	c := &command{
		id:             fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", s.start.Unix()&0xffffffff, s.nextCmd>>16&0xffff, s.nextCmd&0xfff, len(ids), s.nextCmd),
		region:         region,
		comment:        in.Comment,
		document:       in.DocumentName,
		requested:      now,
		params:         in.Parameters,
		instanceIDs:    in.InstanceIds,
		targets:        in.Targets,
		timeoutSeconds: delivery,
		maxConcurrency: orDefault(in.MaxConcurrency, "50"),
		maxErrors:      orDefault(in.MaxErrors, "0"),
		bucket:         in.OutputS3BucketName,
		prefix:         in.OutputS3KeyPrefix,
		step:           step,
		byInst:         map[string]*invocation{},
	}
	for _, id := range ids {
		inst := s.byID[id]
		if inst == nil {
			inst = &Instance{ID: id, Region: region} // AnyInstance: an id nobody manages
		}
		if s.profile.Instant {
			inv := &invocation{cmd: c, inst: inst, visibleAt: now, started: now, ended: now,
				status: "Success", details: "Success", done: true, cancel: func() {}}
			c.invs = append(c.invs, inv)
			c.byInst[id] = inv
			continue
		}
		ctx, cancel := context.WithCancel(context.Background())
		inv := &invocation{cmd: c, inst: inst, visibleAt: now.Add(s.faults.Invisible), status: "Pending", details: "Pending", code: -1, cancel: cancel}
		c.invs = append(c.invs, inv)
		c.byInst[id] = inv
		delay := s.faults.ExecDelay
		if s.faults.ExecJitter > 0 {
			delay += time.Duration(s.rng.Int64N(int64(s.faults.ExecJitter)))
		}
		go s.execute(ctx, inv, script, delay, time.Duration(execTimeout)*time.Second, time.Duration(delivery)*time.Second)
	}
	s.commands[c.id] = c
	s.order = append(s.order, c)
	return map[string]any{"Command": s.commandView(c)}, nil
}

// resolveDocument returns what a command of document name runs: the script,
// the PLUGIN/STEP part of its output keys and its execution timeout in
// seconds, after checking the parameters as SSM does.
func (s *Server) resolveDocument(name string, params map[string][]string) (string, string, int, *apiError) {
	if name == "AWS-RunShellScript" {
		if len(params["commands"]) == 0 {
			return "", "", 0, clientErr("InvalidParameters", "parameter commands is required")
		}
		execTimeout := 3600
		for p, v := range params {
			switch p {
			case "commands", "workingDirectory":
			case "executionTimeout":
				if len(v) != 1 || !execTimeoutRe.MatchString(v[0]) {
					return "", "", 0, clientErr("InvalidParameters", "executionTimeout %q is not valid", v)
				}
				execTimeout, _ = strconv.Atoi(v[0])
			default:
				return "", "", 0, clientErr("InvalidParameters", "document AWS-RunShellScript has no parameter %q", p)
			}
		}
		return strings.Join(params["commands"], "\n"), "awsrunShellScript/0.awsrunShellScript", execTimeout, nil
	}
	s.mu.Lock()
	d, ok := s.documents[name]
	content := ""
	if ok {
		content = d.versions[d.def-1]
	}
	s.mu.Unlock()
	if !ok {
		return "", "", 0, clientErr("InvalidDocument", "Document with name %s does not exist.", name)
	}
	spec, apiErr := parseDoc(content)
	if apiErr != nil {
		return "", "", 0, apiErr
	}
	values := map[string]string{}
	for p, def := range spec.Parameters {
		values[p] = def.Default
	}
	for p, v := range params {
		def, ok := spec.Parameters[p]
		if !ok {
			return "", "", 0, clientErr("InvalidParameters", "document %s has no parameter %q", name, p)
		}
		if len(v) != 1 {
			return "", "", 0, clientErr("InvalidParameters", "parameter %s takes one value", p)
		}
		if def.AllowedPattern != "" && !regexp.MustCompile(def.AllowedPattern).MatchString(v[0]) {
			return "", "", 0, clientErr("InvalidParameters", "parameter %s: %q does not match %s", p, v[0], def.AllowedPattern)
		}
		values[p] = v[0]
	}
	step := spec.MainSteps[0]
	expand := func(v string) string {
		for p, val := range values {
			v = strings.ReplaceAll(v, "{{ "+p+" }}", val)
			v = strings.ReplaceAll(v, "{{"+p+"}}", val)
		}
		return v
	}
	execTimeout := 3600
	if t := expand(step.Inputs.TimeoutSeconds); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || !execTimeoutRe.MatchString(t) {
			return "", "", 0, clientErr("InvalidParameters", "timeoutSeconds %q is not valid", t)
		}
		execTimeout = n
	}
	lines := make([]string, len(step.Inputs.RunCommand))
	for i, l := range step.Inputs.RunCommand {
		lines[i] = expand(l)
	}
	return strings.Join(lines, "\n"), "awsrunShellScript/" + step.Name, execTimeout, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// resolveTargets turns Targets (InstanceIds, tag:K, tag-key) into the managed
// Linux instances of a region that match all of them.
func (s *Server) resolveTargets(ctx context.Context, region string, ts []target) []string {
	var ids []string
	for _, in := range s.instances {
		if elsewhere(ctx, in, region) || in.Unmanaged {
			continue
		}
		ok := true
		for _, t := range ts {
			if !matchTarget(in, t) {
				ok = false
				break
			}
		}
		if ok {
			ids = append(ids, in.ID)
		}
	}
	return ids
}

func matchTarget(in *Instance, t target) bool {
	switch {
	case t.Key == "InstanceIds":
		return contains(t.Values, in.ID)
	case t.Key == "tag-key":
		for _, v := range t.Values {
			if _, ok := in.Tags[v]; ok {
				return true
			}
		}
		return false
	case strings.HasPrefix(t.Key, "tag:"):
		v, ok := in.Tags[strings.TrimPrefix(t.Key, "tag:")]
		return ok && contains(t.Values, v)
	}
	return false
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// execute plays one invocation: it waits, runs the script on the instance's
// fixture (or plays the instance's fault) and records the outcome.
func (s *Server) execute(ctx context.Context, inv *invocation, script string, delay, execTimeout, delivery time.Duration) {
	inst := inv.inst
	wait := func(d time.Duration) bool {
		select {
		case <-s.clock.After(d):
			return true
		case <-ctx.Done():
			return false
		}
	}
	finish := func(status, details string, code int, stdout, stderr string) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if inv.done {
			return
		}
		inv.status, inv.details, inv.code, inv.done = status, details, code, true
		inv.stdout, inv.stderr = stdout, stderr
		inv.ended = s.clock.Now()
		if inv.cmd.bucket != "" {
			for stream, body := range map[string][]byte{"stdout": []byte(stdout), "stderr": []byte(stderr)} {
				key := outputKey(inv, stream)
				if s.faults.S3Object != nil {
					body = s.faults.S3Object(key, body)
				}
				s.objects[inv.cmd.bucket+"/"+key] = body
			}
		}
	}
	if inst.ping() != "Online" {
		// The agent never picks the command up: it expires.
		if wait(min(delivery, delay+s.faults.HangFor+time.Second)) {
			finish("TimedOut", "Delivery Timed Out", -1, "", "")
		}
		return
	}
	if !wait(delay) {
		return
	}
	if inst.Fault == FaultUndeliverable {
		finish("Failed", "Undeliverable", -1, "", "")
		return
	}
	s.mu.Lock()
	if !inv.done {
		inv.status, inv.details, inv.started = "InProgress", "InProgress", s.clock.Now()
	}
	s.mu.Unlock()
	switch inst.Fault {
	case FaultHang:
		hang := execTimeout
		if s.faults.HangFor > 0 && s.faults.HangFor < hang {
			hang = s.faults.HangFor
		}
		if wait(hang) {
			finish("TimedOut", "Execution Timed Out", -1, "", "")
		}
		return
	case FaultFail:
		finish("Failed", "Failed", 1, "", "sh: 12: cannot open /var/lib/rpm/Packages: Input/output error\n")
		return
	}
	res, err := s.run(ctx, inst, script)
	if err != nil {
		if ctx.Err() == nil {
			finish("Failed", "Failed", 1, "", "fake agent: "+err.Error()+"\n")
		}
		return
	}
	if res.Code != 0 {
		finish("Failed", "Failed", res.Code, string(res.Stdout), string(res.Stderr))
		return
	}
	finish("Success", "Success", 0, string(res.Stdout), string(res.Stderr))
}

// outputKey is where SSM writes an invocation's full output in S3.
func outputKey(inv *invocation, stream string) string {
	key := inv.cmd.id + "/" + inv.inst.ID + "/" + inv.cmd.step + "/" + stream
	if p := strings.Trim(inv.cmd.prefix, "/"); p != "" {
		key = p + "/" + key
	}
	return key
}

// cut keeps the first n characters of s, as SSM does.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

func (s *Server) commandView(c *command) map[string]any {
	counts := map[string]int{}
	status := "Success"
	pending := false
	for _, inv := range c.invs {
		if !inv.done {
			pending = true
			continue
		}
		counts["completed"]++
		switch inv.details {
		case "Failed", "Execution Timed Out":
			counts["error"]++
		case "Delivery Timed Out":
			counts["delivery"]++
		}
	}
	switch {
	case pending:
		status = "InProgress"
	case counts["error"] > 0:
		status = "Failed"
	}
	v := map[string]any{
		"CommandId":             c.id,
		"DocumentName":          c.document,
		"DocumentVersion":       "$DEFAULT",
		"Comment":               c.comment,
		"ExpiresAfter":          s.ts(c.requested.Add(time.Duration(c.timeoutSeconds) * time.Second)),
		"Parameters":            c.params,
		"InstanceIds":           nonNil(c.instanceIDs),
		"Targets":               nonNilT(c.targets),
		"RequestedDateTime":     s.ts(c.requested),
		"Status":                status,
		"StatusDetails":         status,
		"MaxConcurrency":        c.maxConcurrency,
		"MaxErrors":             c.maxErrors,
		"TargetCount":           len(c.invs),
		"CompletedCount":        counts["completed"],
		"ErrorCount":            counts["error"],
		"DeliveryTimedOutCount": counts["delivery"],
		"TimeoutSeconds":        c.timeoutSeconds,
	}
	if c.bucket != "" {
		v["OutputS3BucketName"] = c.bucket
		v["OutputS3KeyPrefix"] = c.prefix
	}
	return v
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func nonNilT(v []target) []target {
	if v == nil {
		return []target{}
	}
	return v
}
