package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"maps"
	"reflect"
	"strings"
	"testing"

	"upkeep/inventory"
)

func identityIntern(s string) string { return s }

// decodeTags is what json.Unmarshal makes of a tags column, the reference
// the decoder's reading without reflection must match.
func decodeTags(text string, m map[string]string) (map[string]string, error) {
	err := json.Unmarshal([]byte(text), &m)
	return m, err
}

// The decoder reads tags exactly as json.Unmarshal does, whether or not
// they take the path without reflection, hostile ones included.
func TestDecoderTagsMatchJSON(t *testing.T) {
	marshal := func(m map[string]string) string {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	cases := []string{
		marshal(map[string]string{"Env": "prod", "Name": "web-01", "Role": "web"}),
		marshal(map[string]string{}),
		marshal(map[string]string{"": ""}),
		marshal(map[string]string{"Name": "web" + evilTag}),
		marshal(map[string]string{"ünïcode": "ok ✓", "k": "a,b:c{d}"}),
		`{"Name":"a","Name":"b"}`, // the last wins, as in encoding/json
		`{"a":"b"}`, `{ "a": "b" }`, `{"a":1}`, `{"a":null}`, `null`, `{}`, `[]`, `{"a":"b",}`,
		`{"a":"b""c":"d"}`, `{"a"}`, `{"a":}`, `{"a":"b"`, `{"a":"b"}}`, `{"a":"b\"c"}`, `{"a":"\u003c"}`,
		"{\"a\":\"b\tc\"}", "{\"a\":\"\xff\"}", `{"a":"b","c"}`, `{,}`, `{"a":"b",,"c":"d"}`, `"x"`, `{`, `}`,
	}
	for _, text := range cases {
		for _, start := range []map[string]string{nil, {"Team": "ops"}} {
			dec := newDecoder(identityIntern)
			got, gotErr := dec.tags(sql.NullString{String: text, Valid: true}, maps.Clone(start))
			want, wantErr := decodeTags(text, maps.Clone(start))
			if (gotErr != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
				t.Errorf("%q onto %v: got %#v, %v; encoding/json gives %#v, %v", text, start, got, gotErr, want, wantErr)
			}
		}
	}
}

const evilTag = "\x1b]2;owned\x07<script>\u202e\"quoted\"\\"

func FuzzDecoderTags(f *testing.F) {
	for _, s := range []string{`{"Env":"prod","Name":"web-01"}`, `{}`, `{"a":"b","a":"c"}`, `{"a":1}`, "{\"a\":\"\xff\"}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if text == "" {
			t.Skip("an empty column means no tags, as NULL does; encoding/json refuses it")
		}
		dec := newDecoder(identityIntern)
		got, gotErr := dec.tags(sql.NullString{String: text, Valid: true}, nil)
		want, wantErr := decodeTags(text, nil)
		if (gotErr != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %#v, %v; encoding/json gives %#v, %v", text, got, gotErr, want, wantErr)
		}
	})
}

// Hosts that share a list share its decoding, not its slice: changing one
// host's probes, services or listeners changes no other host's.
func TestEachObservationListsAreFresh(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	var obs []inventory.Observation
	for _, h := range []string{"a", "b", "c"} {
		obs = append(obs, inventory.Observation{Host: inventory.Host{ID: "i-" + h, Name: h}, Status: inventory.StatusOK,
			Report: sampleReport(h, basePkgs...)})
	}
	id := saveScan(t, db, obs...)
	var first *inventory.Report
	n := 0
	err := db.EachObservation(ctx, id, func(o *inventory.Observation, _ func(int64) ([]inventory.Package, error)) error {
		n++
		r := o.Report
		want := sampleReport(r.Facts.Hostname)
		if !reflect.DeepEqual(r.Probes, want.Probes) || !reflect.DeepEqual(r.Services, want.Services) ||
			!reflect.DeepEqual(r.Listeners, want.Listeners) || !reflect.DeepEqual(r.Warnings, want.Warnings) || !reflect.DeepEqual(r.Tags, want.Tags) {
			t.Errorf("%s: read back\n%+v\nwant\n%+v", o.Host.ID, r, want)
		}
		if first == nil {
			first = r
		}
		// What a caller may do with what it keeps.
		r.Probes[0].Version = "changed"
		r.Services[0].State = "changed"
		r.Listeners[0].Port = -1
		r.Warnings[0] = "changed"
		r.Tags["Env"] = "changed"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("%d hosts, want 3", n)
	}
}

// A list column that is not JSON fails the read, naming the host and the
// column, whether or not the same text was read before.
func TestEachObservationCorruptDetail(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	id := saveScan(t, db,
		inventory.Observation{Host: inventory.Host{ID: "i-a", Name: "a"}, Status: inventory.StatusOK, Report: sampleReport("a", basePkgs...)},
		inventory.Observation{Host: inventory.Host{ID: "i-b", Name: "b"}, Status: inventory.StatusOK, Report: sampleReport("b", basePkgs...)})
	if _, err := db.db.ExecContext(ctx, `UPDATE details SET listeners = '[{"port":"x"}]'`); err != nil {
		t.Fatal(err)
	}
	err := db.EachObservation(ctx, id, func(*inventory.Observation, func(int64) ([]inventory.Package, error)) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "read listeners of host i-a") {
		t.Errorf("corrupt listeners: %v, want an error naming the column and host i-a", err)
	}
}
