package ssm

import (
	"strings"
	"testing"
)

// The object read for an invocation is the one SSM names, and only when it
// is in the bucket, under the prefix, the command and the instance.
func TestKeyFromURL(t *testing.T) {
	const cmd, inst = "11111111-2222-4333-8444-555555555555", "i-0123456789abcdef0"
	key := "scans/" + cmd + "/" + inst + "/awsrunShellScript/0.awsrunShellScript/stdout"
	tests := []struct {
		url, want, reason string
	}{
		{"https://s3.eu-west-1.amazonaws.com/out-bucket/" + key, key, ""},
		{"https://out-bucket.s3.eu-west-1.amazonaws.com/" + key, key, ""},
		{"https://s3.amazonaws.com/out-bucket/scans/" + cmd + "/" + inst + "/awsrunShellScript/collect/stdout",
			"scans/" + cmd + "/" + inst + "/awsrunShellScript/collect/stdout", ""},
		{"https://s3.amazonaws.com/other-bucket/" + key, "", "not read"},
		{"https://s3.amazonaws.com/out-bucket/scans/" + cmd + "/i-0fedcba9876543210/awsrunShellScript/0.awsrunShellScript/stdout", "", "not read"},
		{"https://s3.amazonaws.com/out-bucket/" + cmd + "/" + inst + "/awsrunShellScript/0.awsrunShellScript/stdout", "", "not read"},
		{"https://s3.amazonaws.com/out-bucket/" + strings.Replace(key, "stdout", "stderr", 1), "", "not read"},
		{"not a url", "", "not read"},
	}
	for _, tt := range tests {
		got, reason := keyFromURL(tt.url, "out-bucket", "scans/", cmd, inst)
		if got != tt.want || (tt.reason == "") != (reason == "") || !strings.Contains(reason, tt.reason) {
			t.Errorf("keyFromURL(%s) = %q, %q; want %q, %q", tt.url, got, reason, tt.want, tt.reason)
		}
	}
}

// An object is trusted only when it agrees with SSM's excerpt.
func TestExcerptMismatch(t *testing.T) {
	long := strings.Repeat("x", MaxStdout)
	tests := []struct {
		full, excerpt string
		ok            bool
	}{
		{"a\nb\n", "a\nb\n", true},
		{"a\nb\n", "a\nb", true},
		{"a\nb\nc\n", "a\nb\n", false},
		{long + "more", long, true},
		{"y" + long, long, false},
		{"anything", "", true},
	}
	for _, tt := range tests {
		if got := excerptMismatch(tt.full, tt.excerpt) == ""; got != tt.ok {
			t.Errorf("excerptMismatch(%.20q, %.20q) ok=%v, want %v", tt.full, tt.excerpt, got, tt.ok)
		}
	}
}
