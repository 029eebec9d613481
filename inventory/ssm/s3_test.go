package ssm_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"

	"upkeep/internal/ssmfake"
	"upkeep/inventory"
	"upkeep/inventory/ssm"
)

// An output read from S3 is trusted only when it is the invocation's: under
// the size limit, at the key of its command and instance, and agreeing with
// the excerpt SSM returned through the API. Anything else is that host's
// unparsable row with the reason; the other hosts are not affected.
func TestScanS3OutputChecked(t *testing.T) {
	host0, host2 := ssmfake.InstanceID(0), ssmfake.InstanceID(2) // host 2 is the huge one
	tests := []struct {
		name   string
		tamper func(key string, body []byte) []byte
		want   map[string]inventory.Status
		reason string // in host 0's or host 2's error
	}{
		{"untouched", nil, map[string]inventory.Status{host0: inventory.StatusOK, host2: inventory.StatusOK}, ""},
		{"a line added to a short output", func(key string, body []byte) []byte {
			if strings.Contains(key, "/"+host0+"/") && strings.HasSuffix(key, "/stdout") {
				return append(body, "pkg\tevil\t1.0\n"...)
			}
			return body
		}, map[string]inventory.Status{host0: inventory.StatusUnparsable, host2: inventory.StatusOK}, "differs from the output SSM returned"},
		{"another output under a long one's key", func(key string, body []byte) []byte {
			if strings.Contains(key, "/"+host2+"/") && strings.HasSuffix(key, "/stdout") {
				return append([]byte("#upkeep-collector 1\n"), body...)
			}
			return body
		}, map[string]inventory.Status{host0: inventory.StatusOK, host2: inventory.StatusUnparsable}, "does not start with the output SSM returned"},
		{"over the size limit", func(key string, body []byte) []byte {
			if strings.Contains(key, "/"+host0+"/") && strings.HasSuffix(key, "/stdout") {
				return bytes.Repeat([]byte("x"), inventory.MaxOutput+1)
			}
			return body
		}, map[string]inventory.Status{host0: inventory.StatusUnparsable, host2: inventory.StatusOK}, "over the 16 MiB limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				fake := ssmfake.New(ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 3, Huge: 1}),
					ssmfake.WithFaults(ssmfake.Faults{ExecDelay: 10 * time.Millisecond, S3Object: tt.tamper}))
				defer fake.Close()
				ctx := context.Background()
				opt := testOptions()
				opt.S3Bucket, opt.S3Prefix = "upkeep-outputs", "scans/1"
				sc := ssm.NewScanner(inBubble(t, fake, "us-east-1"), opt)
				targets, err := sc.Discover(ctx, ssm.Selector{All: true}, "ssm")
				if err != nil {
					t.Fatal(err)
				}
				sink := &memSink{}
				if err := sc.Run(ctx, 1, targets, sink.save, nil); err != nil {
					t.Fatal(err)
				}
				for id, want := range tt.want {
					got := sink.obs[id]
					if len(got) != 1 || got[0].Status != want {
						t.Errorf("%s: %+v, want one %s row", id, got, want)
						continue
					}
					if want != inventory.StatusOK && !strings.Contains(got[0].Error, tt.reason) {
						t.Errorf("%s: reason %q, want it to say %q", id, got[0].Error, tt.reason)
					}
				}
			})
		})
	}
}

// upkeep's own document: created (then left alone, then updated) through
// the SSM API, and a scan that sends it instead of AWS-RunShellScript gets
// the same results, with outputs under the document's step in S3.
func TestScanWithDocument(t *testing.T) { synctest.Test(t, testScanWithDocument) }

func testScanWithDocument(t *testing.T) {
	fake := ssmfake.New(ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 3, Huge: 1}), ssmfake.WithFaults(ssmfake.Faults{ExecDelay: 10 * time.Millisecond}))
	defer fake.Close()
	ctx := context.Background()
	c := inBubble(t, fake, "us-east-1")
	content, err := ssm.Document(inventory.Script())
	if err != nil {
		t.Fatal(err)
	}
	api := c.SSM.(ssm.DocumentAPI)
	for _, want := range []string{"created", "unchanged"} {
		res, err := ssm.EnsureDocument(ctx, api, ssm.DefaultDocument, content)
		if err != nil || res.Action != want || res.Version != "1" {
			t.Fatalf("EnsureDocument: %+v %v, want %s at version 1", res, err, want)
		}
	}
	newer := bytes.Replace(content, []byte("Made by"), []byte("Made again by"), 1)
	res, err := ssm.EnsureDocument(ctx, api, ssm.DefaultDocument, newer)
	if err != nil || res.Action != "updated" || res.Version != "2" {
		t.Fatalf("EnsureDocument with a new collector: %+v %v, want updated to version 2", res, err)
	}
	if got := fake.Document(ssm.DefaultDocument); got != string(newer) {
		t.Errorf("the default version is not the new content")
	}

	opt := testOptions()
	opt.Document = ssm.DefaultDocument
	opt.S3Bucket = "upkeep-outputs"
	sc := ssm.NewScanner(c, opt)
	targets, err := sc.Discover(ctx, ssm.Selector{All: true}, "ssm")
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	if err := sc.Run(ctx, 1, targets, sink.save, nil); err != nil {
		t.Fatal(err)
	}
	for id, list := range sink.obs {
		if len(list) != 1 || list[0].Status != inventory.StatusOK {
			t.Errorf("%s: %+v, want ok", id, list)
		}
	}
	if len(sink.obs) != 3 {
		t.Errorf("%d hosts stored, want 3", len(sink.obs))
	}
	// The document takes no shell code: sending commands to it is refused.
	_, err = c.SSM.SendCommand(ctx, &awsssm.SendCommandInput{DocumentName: aws.String(ssm.DefaultDocument),
		InstanceIds: []string{ssmfake.InstanceID(0)}, Parameters: map[string][]string{"commands": {"id"}}})
	if err == nil || !strings.Contains(err.Error(), "InvalidParameters") {
		t.Errorf("SendCommand with commands to the upkeep document: %v, want InvalidParameters", err)
	}
}
