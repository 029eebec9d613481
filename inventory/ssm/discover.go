package ssm

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"upkeep/inventory"
)

// Selector says which instances a scan targets. Exactly one of its parts is
// set.
type Selector struct {
	InstanceIDs []string
	Tags        []Tag // all must match (several values of one key: any of them)
	All         bool  // every instance SSM manages
}

// Tag is one Key=Value of --tag.
type Tag struct{ Key, Value string }

// String says what was asked for, the way the user said it.
func (s Selector) String() string {
	switch {
	case s.All:
		return "--all"
	case len(s.Tags) > 0:
		var parts []string
		for _, t := range s.Tags {
			parts = append(parts, "--tag "+t.Key+"="+t.Value)
		}
		return strings.Join(parts, " ")
	default:
		return "--instance-ids " + strings.Join(s.InstanceIDs, ",")
	}
}

// Target is one instance a scan is about, with what SSM knows of it. Status
// is StatusPending when the collector can be sent to it; otherwise it is the
// reason it cannot (offline, unsupported, undeliverable for an instance SSM
// does not manage) and Error says more.
type Target struct {
	Host   inventory.Host
	Status inventory.Status
	Error  string
}

// Observation is the target as a result row of scan id.
func (t Target) Observation(scanID int64) inventory.Observation {
	return inventory.Observation{ScanID: scanID, Host: t.Host, Status: t.Status, Error: t.Error}
}

// maxPages bounds one listing, whatever tokens a server hands out: enough
// for 500,000 instances or invocations at 50 a page (pages may be empty).
const maxPages = 10000

// pageSize is the largest page DescribeInstanceInformation allows (5-50).
const pageSize = 50

// Discover lists the targeted instances SSM manages in one region. For an
// instance-id selector, ids this region does not know are left out: the
// caller knows every region and decides (see Unmanaged).
func (s *Scanner) Discover(ctx context.Context, sel Selector, source string) ([]Target, error) {
	ts, err := s.discover(ctx, sel, source)
	for i := range ts {
		// Every host is stored with the account it was found in, so a
		// judging command can filter by it (--account).
		ts[i].Host.Account = s.account
	}
	return ts, err
}

func (s *Scanner) discover(ctx context.Context, sel Selector, source string) ([]Target, error) {
	region := s.region
	var infos []types.InstanceInformation
	switch {
	case sel.All:
		list, err := s.describe(ctx, nil)
		if u, ok := unsupported(err); ok {
			return nil, fmt.Errorf("discover instances in %s: %w: --all needs it to list instances; name them with --instance-ids instead", region, u)
		}
		if err != nil {
			return nil, fmt.Errorf("discover instances in %s: %w", region, err)
		}
		infos = list
	case len(sel.Tags) > 0:
		// Tag filters may be combined with each other (all must match),
		// not with any other filter kind.
		byKey := map[string][]string{}
		var keys []string
		for _, t := range sel.Tags {
			if _, ok := byKey[t.Key]; !ok {
				keys = append(keys, t.Key)
			}
			byKey[t.Key] = append(byKey[t.Key], t.Value)
		}
		var fs []types.InstanceInformationStringFilter
		for _, k := range keys {
			fs = append(fs, types.InstanceInformationStringFilter{Key: aws.String("tag:" + k), Values: byKey[k]})
		}
		list, err := s.describe(ctx, fs)
		if u, ok := unsupported(err); ok {
			return nil, fmt.Errorf("discover instances in %s by tag: %w: --tag needs it; name the instances with --instance-ids instead", region, u)
		}
		if err != nil {
			return nil, fmt.Errorf("discover instances in %s by tag: %w", region, err)
		}
		infos = list
	default:
		ids := dedupe(sel.InstanceIDs)
		asked := map[string]bool{}
		for _, id := range ids {
			asked[id] = true
		}
		for i := 0; i < len(ids); i += pageSize {
			chunk := ids[i:min(i+pageSize, len(ids))]
			list, err := s.describeIDs(ctx, chunk)
			if _, ok := unsupported(err); ok {
				return blindTargets(ids, region, source), nil
			}
			if err != nil {
				return nil, fmt.Errorf("discover instances in %s: %w", region, err)
			}
			for _, in := range list {
				// A server that ignores the InstanceIds filter answers with
				// every instance: keep only those asked for.
				if asked[aws.ToString(in.InstanceId)] {
					infos = append(infos, in)
				}
			}
		}
	}
	tags := selectorTags(sel)
	seen := map[string]bool{}
	var out []Target
	for _, in := range infos {
		id := aws.ToString(in.InstanceId)
		if id == "" || seen[id] {
			continue // a page boundary that moved under us must not duplicate a host
		}
		seen[id] = true
		out = append(out, target(in, region, source, tags))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Host.ID < out[j].Host.ID })
	return out, nil
}

// describeIDs asks for a set of ids. A service that rejects the whole set
// because one id is malformed or unknown (InvalidInstanceId) is asked again
// in halves, so the bad id costs a few calls and never hides the others.
func (s *Scanner) describeIDs(ctx context.Context, ids []string) ([]types.InstanceInformation, error) {
	list, err := s.describe(ctx, []types.InstanceInformationStringFilter{{Key: aws.String("InstanceIds"), Values: ids}})
	var bad *types.InvalidInstanceId
	if err == nil || !errors.As(err, &bad) {
		return list, err
	}
	if len(ids) == 1 {
		return nil, nil // unknown to this region
	}
	half := len(ids) / 2
	a, err := s.describeIDs(ctx, ids[:half])
	if err != nil {
		return nil, err
	}
	b, err := s.describeIDs(ctx, ids[half:])
	if err != nil {
		return nil, err
	}
	return append(a, b...), nil
}

func (s *Scanner) describe(ctx context.Context, fs []types.InstanceInformationStringFilter) ([]types.InstanceInformation, error) {
	var out []types.InstanceInformation
	in := &awsssm.DescribeInstanceInformationInput{Filters: fs, MaxResults: aws.Int32(pageSize)}
	// A server that hands back the token it was given would loop forever.
	p := awsssm.NewDescribeInstanceInformationPaginator(s.api, in, func(o *awsssm.DescribeInstanceInformationPaginatorOptions) {
		o.StopOnDuplicateToken = true
	})
	for pages := 0; p.HasMorePages() && pages < maxPages; pages++ {
		var page *awsssm.DescribeInstanceInformationOutput
		err := s.persist.do(ctx, func() error {
			if s.reached.Load() {
				var err error
				page, err = p.NextPage(ctx)
				return err
			}
			// The region's first call: an endpoint that cannot be
			// reached at all fails now, not after every retry.
			var err error
			page, err = p.NextPage(ctx, failFast)
			var api smithy.APIError
			switch {
			case err == nil || errors.As(err, &api):
				s.reached.Store(true)
			case unreachable(err):
				return asUnreachable(err)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, page.InstanceInformationList...)
	}
	return out, nil
}

func target(in types.InstanceInformation, region, source string, tags map[string]string) Target {
	h := inventory.Host{
		ID:           aws.ToString(in.InstanceId),
		Name:         aws.ToString(in.ComputerName),
		Region:       region,
		Source:       source,
		Platform:     strings.TrimSpace(aws.ToString(in.PlatformName) + " " + aws.ToString(in.PlatformVersion)),
		AgentVersion: aws.ToString(in.AgentVersion),
		PingStatus:   string(in.PingStatus),
		IPAddress:    aws.ToString(in.IPAddress),
		LastPing:     aws.ToTime(in.LastPingDateTime).UTC(),
	}
	if h.Platform == "" {
		h.Platform = string(in.PlatformType)
	}
	if len(tags) > 0 {
		h.Tags = make(map[string]string, len(tags))
		for k, v := range tags {
			h.Tags[k] = v
		}
	}
	t := Target{Host: h, Status: inventory.StatusPending}
	switch {
	case in.PlatformType != "" && in.PlatformType != types.PlatformTypeLinux:
		t.Status = inventory.StatusUnsupported
		t.Error = fmt.Sprintf("platform %s: the collector is a POSIX sh script for Linux", in.PlatformType)
	case in.PingStatus != "" && in.PingStatus != types.PingStatusOnline:
		// PingStatus is optional in the API: when a server leaves it out,
		// the command is sent and SSM's own answer decides.
		t.Status = inventory.StatusOffline
		t.Error = fmt.Sprintf("SSM agent ping status %s", in.PingStatus)
		if in.LastPingDateTime != nil {
			t.Error += " since " + in.LastPingDateTime.UTC().Format(time.RFC3339)
		}
	}
	return t
}

// blindTargets are the targets of an instance-id selector when the endpoint
// cannot describe instances: nothing is known of them but their id, so each
// is sent the collector and SSM's answer decides (an id it does not manage
// is rejected by SendCommand and stored undeliverable).
func blindTargets(ids []string, region, source string) []Target {
	out := make([]Target, 0, len(ids))
	for _, id := range ids {
		out = append(out, Target{Host: inventory.Host{ID: id, Region: region, Source: source}, Status: inventory.StatusPending})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Host.ID < out[j].Host.ID })
	return out
}

// Unmanaged is the row of an instance id that no region's SSM knows: no
// agent, no instance profile, another account, or a typo.
func Unmanaged(id, regions, source string) Target {
	return Target{
		Host:   inventory.Host{ID: id, Source: source},
		Status: inventory.StatusUndeliverable,
		Error:  "not a managed instance in " + regions + ": SSM agent not installed or not registered (instance profile with AmazonSSMManagedInstanceCore?), or the id is wrong",
	}
}

// selectorTags are the tags a target is known to carry because the selector
// required them. A key given with several values is left out: which value
// the instance has is not known.
func selectorTags(sel Selector) map[string]string {
	count := map[string]int{}
	for _, t := range sel.Tags {
		count[t.Key]++
	}
	tags := map[string]string{}
	for _, t := range sel.Tags {
		if count[t.Key] == 1 {
			tags[t.Key] = t.Value
		}
	}
	return tags
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
