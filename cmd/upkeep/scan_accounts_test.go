package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"upkeep/internal/ssmfake"
	"upkeep/inventory"
)

const (
	acctA, acctB, acctC, acctD = "222222222222", "333333333333", "444444444444", "555555555555"
	roleTemplate               = "arn:aws:iam::{account}:role/upkeep-scan"
)

// accountsWorld starts local SSM, STS and Organizations endpoints: 12
// instances in two regions dealt over accounts A, B and C; roles that let
// the scanner into A and B (with an external id) but not C; and an
// organization of A, B, C and a suspended D.
func accountsWorld(t *testing.T) (ssmURL string, fleet []ssmfake.Instance, sts *ssmfake.STS) {
	t.Helper()
	dir := t.TempDir()
	isolateAWS(t, dir)
	regions := []string{"us-east-1", "eu-west-1"}
	fleet = ssmfake.Fleet(ssmfake.FleetSpec{Hosts: 12, Regions: regions})
	accounts := []string{acctA, acctB, acctC}
	for i := range fleet {
		fleet[i].Account = accounts[i%3]
	}
	fake := ssmfake.New(fleet)
	t.Cleanup(func() { fake.Close() })
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	sts = ssmfake.NewSTS(
		ssmfake.Role{ARN: "arn:aws:iam::" + acctA + ":role/upkeep-scan", ExternalID: "ext-1"},
		ssmfake.Role{ARN: "arn:aws:iam::" + acctB + ":role/upkeep-scan", ExternalID: "ext-1"},
		ssmfake.Role{ARN: "arn:aws:iam::" + acctD + ":role/upkeep-scan", ExternalID: "ext-1"},
	)
	stsSrv := httptest.NewServer(sts)
	t.Cleanup(stsSrv.Close)
	orgSrv := httptest.NewServer(&ssmfake.Organizations{PageSize: 2, Accounts: []ssmfake.OrgAccount{
		{ID: acctA, Name: "prod"}, {ID: acctB, Name: "staging"}, {ID: acctC, Name: "sandbox"}, {ID: acctD, Name: "old", State: "SUSPENDED"},
	}})
	t.Cleanup(orgSrv.Close)
	// The SDK's own per-service endpoint settings: nothing in upkeep knows
	// these are not AWS.
	t.Setenv("AWS_ENDPOINT_URL_STS", stsSrv.URL)
	t.Setenv("AWS_ENDPOINT_URL_ORGANIZATIONS", orgSrv.URL)
	return srv.URL, fleet, sts
}

// The must-show scan: the whole organization, 3 active accounts × 2
// regions, one account's role denied. Every host of the other two is stored
// with its account, the denied account is named in the summary, the
// suspended account is never tried, and the exit code is 3 (partial).
func TestScanOrganization(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the collector on fixture hosts")
	}
	url, fleet, sts := accountsWorld(t)
	dbPath := filepath.Join(t.TempDir(), "upkeep.db")
	code, stderr := scanWith(context.Background(), t, dbPath, func(o *scanOptions) {
		o.all, o.regions, o.endpointURL = true, []string{"us-east-1", "eu-west-1"}, url
		o.roleARN, o.organization, o.externalID = roleTemplate, true, "ext-1"
	})
	t.Logf("stderr:\n%s", stderr)
	if code != exitPartial {
		t.Errorf("exit code %d, want %d (partial: one account denied)", code, exitPartial)
	}
	if !strings.Contains(stderr, "account "+acctC+": assume role arn:aws:iam::"+acctC+":role/upkeep-scan") || !strings.Contains(stderr, "AccessDenied") {
		t.Errorf("the summary does not name account %s and why it was not scanned", acctC)
	}
	if sts.Calls("arn:aws:iam::"+acctD+":role/upkeep-scan") != 0 {
		t.Errorf("the suspended account %s was tried", acctD)
	}
	want := map[string]string{}
	for _, in := range fleet {
		if in.Account != acctC {
			want[in.ID] = in.Account
		}
	}
	obs := observations(t, dbPath, 1)
	if len(obs) != len(want) {
		t.Errorf("%d hosts stored, want the %d of accounts %s and %s", len(obs), len(want), acctA, acctB)
	}
	regions := map[string]bool{}
	for _, o := range obs {
		acct, ok := want[o.Host.ID]
		switch {
		case !ok:
			t.Errorf("%s of the denied account was stored", o.Host.ID)
		case o.Host.Account != acct:
			t.Errorf("%s stored with account %q, want %s", o.Host.ID, o.Host.Account, acct)
		case o.Status != inventory.StatusOK:
			t.Errorf("%s: %s: %s", o.Host.ID, o.Status, o.Error)
		}
		regions[o.Host.Account+" "+o.Host.Region] = true
	}
	if len(regions) != 4 {
		t.Errorf("hosts from %d account × region pairs, want 4: %v", len(regions), regions)
	}

	// Every judging command keeps the hosts of the accounts --account names,
	// and its JSON says each one's account.
	for _, command := range [][]string{{"check"}, {"readiness"}} {
		ios, out, errOut := testIO("")
		args := append([]string{"--db", dbPath}, command...)
		args = append(args, "--all", "--account", acctA, "--output", "json")
		if command[0] == "readiness" {
			args = append(args[:len(args)-5], args[len(args)-4:]...) // readiness has no --all
		}
		if code := run(context.Background(), args, ios, os.Getenv); code != exitOK && code != exitFailure {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var rows []struct {
			Host    string `json:"host"`
			Account string `json:"account"`
		}
		if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		if len(rows) == 0 {
			t.Errorf("%v: no rows", args)
		}
		for _, r := range rows {
			if r.Account != acctA || want[r.Host] != acctA {
				t.Errorf("%v: host %s of account %q (stored in %q) shown", args, r.Host, r.Account, want[r.Host])
			}
		}
	}
	ios, _, errOut := testIO("")
	if code := run(context.Background(), []string{"--db", dbPath, "plan", "--account", acctC}, ios, os.Getenv); code != exitUsage {
		t.Errorf("plan --account of the denied account: exit %d, want 2: %s", code, errOut)
	}
}

// Accounts named on the command line, and what ends a scan: every role
// denied is a failure (exit 1) naming each account; a bad flag is a usage
// error before anything is called.
func TestScanAccounts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the collector on fixture hosts")
	}
	url, _, _ := accountsWorld(t)
	tests := []struct {
		name     string
		set      func(o *scanOptions)
		code     int
		contains []string
	}{
		{"two accounts", func(o *scanOptions) {
			o.accounts, o.externalID = []string{acctA, acctB}, "ext-1"
		}, exitOK, []string{"8 hosts: 8 ok"}},
		{"wrong external id", func(o *scanOptions) {
			o.accounts, o.externalID = []string{acctA, acctB}, "guess"
		}, exitFailure, []string{"no account could be scanned", "account " + acctA + ": assume role", "account " + acctB + ": assume role"}},
		{"no placeholder", func(o *scanOptions) {
			o.roleARN, o.accounts = "arn:aws:iam::123456789012:role/x", []string{acctA}
		}, exitUsage, []string{"put {account} where each account's id goes"}},
		{"bad account id", func(o *scanOptions) { o.accounts = []string{"12345"} }, exitUsage, []string{"not a 12-digit AWS account id"}},
		{"accounts without a role", func(o *scanOptions) { o.roleARN, o.accounts = "", []string{acctA} }, exitUsage, []string{"need --role-arn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbPath := filepath.Join(t.TempDir(), "upkeep.db")
			code, stderr := scanWith(context.Background(), t, dbPath, func(o *scanOptions) {
				o.all, o.regions, o.endpointURL, o.roleARN = true, []string{"us-east-1", "eu-west-1"}, url, roleTemplate
				tt.set(o)
			})
			if code != tt.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			for _, c := range tt.contains {
				if !strings.Contains(stderr, c) {
					t.Errorf("stderr does not say %q:\n%s", c, stderr)
				}
			}
		})
	}
}

// Several --profile: each profile's account (sts:GetCallerIdentity) is
// scanned and stored with its hosts; a profile that does not exist is named
// and the others are scanned (exit 3).
func TestScanProfiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the collector on fixture hosts")
	}
	url, fleet, _ := accountsWorld(t)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	// The local endpoints tell accounts apart by access key id.
	body := "[a]\naws_access_key_id = ASIAFAKE" + acctA + "\naws_secret_access_key = x\n" +
		"[b]\naws_access_key_id = ASIAFAKE" + acctB + "\naws_secret_access_key = x\n"
	if err := os.WriteFile(creds, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	dbPath := filepath.Join(dir, "upkeep.db")
	code, stderr := scanWith(context.Background(), t, dbPath, func(o *scanOptions) {
		o.all, o.regions, o.endpointURL = true, []string{"us-east-1", "eu-west-1"}, url
		o.profiles = []string{"a", "b", "missing"}
	})
	if code != exitPartial {
		t.Errorf("exit code %d, want 3; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "account profile missing: load credentials") {
		t.Errorf("the missing profile is not named:\n%s", stderr)
	}
	want := map[string]string{}
	for _, in := range fleet {
		if in.Account == acctA || in.Account == acctB {
			want[in.ID] = in.Account
		}
	}
	obs := observations(t, dbPath, 1)
	if len(obs) != len(want) {
		t.Errorf("%d hosts stored, want %d", len(obs), len(want))
	}
	for _, o := range obs {
		if o.Host.Account != want[o.Host.ID] || o.Status != inventory.StatusOK {
			t.Errorf("%s: account %q status %s, want account %q ok", o.Host.ID, o.Host.Account, o.Status, want[o.Host.ID])
		}
	}
}
