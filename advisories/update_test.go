package advisories

import (
	"strings"
	"testing"
)

// TestParseAPI reads API v1 answers back to the snapshot's meaning:
// eol = eolFrom ?? isEol, and a phase the product lacks stays untracked.
func TestParseAPI(t *testing.T) {
	ok := `{"schema_version":"1.2.1","generated_at":"2026-11-20T10:00:00+00:00","result":{"name":"nginx","label":"nginx","category":"server-app",
	"labels":{"eoas":null,"eol":"Security Support","eoes":null},
	"releases":[{"name":"1.30","isLts":false,"isEol":false,"eolFrom":null,"latest":{"name":"1.30.1"}},
	            {"name":"1.28","isLts":false,"isEol":true,"eolFrom":"2026-04-14"},
	            {"name":"0.5","isLts":false,"isEol":true}]}}`
	ps, date, err := ReadUpdate([]byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	if date.Format("2006-01-02") != "2026-11-20" || len(ps) != 1 || len(ps[0].Cycles) != 3 {
		t.Fatalf("got %v %v", date, ps)
	}
	c := ps[0].Cycles
	if !c[0].EOL.Tracked || c[0].EOL.Ended || !c[0].EOL.Date.IsZero() {
		t.Errorf("1.30: %+v, want tracked, no date", c[0].EOL)
	}
	if c[1].EOL.Date.Format("2006-01-02") != "2026-04-14" {
		t.Errorf("1.28: %+v", c[1].EOL)
	}
	if !c[2].EOL.Ended || c[0].EOES.Tracked {
		t.Errorf("0.5: %+v; eoes %+v", c[2].EOL, c[0].EOES)
	}
	if c[0].Latest != "1.30.1" {
		t.Errorf("latest %q", c[0].Latest)
	}

	for name, bad := range map[string]string{
		"html":                      "<!DOCTYPE html><html>503</html>",
		"truncated":                 ok[:120],
		"no result":                 `{"schema_version":"1.2.1"}`,
		"no releases":               `{"schema_version":"1.2.1","result":{"name":"nginx","releases":[]}}`,
		"bad date":                  `{"schema_version":"1.2.1","result":{"name":"nginx","releases":[{"name":"1","eolFrom":"soon"}]}}`,
		"snapshot without products": `{"snapshot_date":"2026-01-01"}`,
	} {
		if _, _, err := ReadUpdate([]byte(bad)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}

	// A snapshot written by EncodeSnapshot reads back the same.
	d := mustLoad(t)
	p, _ := d.Product("mysql")
	b, err := EncodeSnapshot([]*Product{p}, date, "test")
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := ReadUpdate(b)
	if err != nil || len(back) != 1 || len(back[0].Cycles) != len(p.Cycles) || back[0].Labels != p.Labels {
		t.Fatalf("round trip: %v %v", back, err)
	}
	for i := range p.Cycles {
		if back[0].Cycles[i].EOL != p.Cycles[i].EOL || back[0].Cycles[i].EOAS != p.Cycles[i].EOAS || back[0].Cycles[i].Name != p.Cycles[i].Name {
			t.Errorf("cycle %s changed: %+v", p.Cycles[i].Name, back[0].Cycles[i])
		}
	}
	if !strings.Contains(string(b), `"snapshot_date": "2026-11-20"`) {
		t.Error("snapshot date not written")
	}
}

// TestReadUpdateWrongShape: JSON that is not an object, or whose known
// fields have the wrong type, is named as such, never by a Go type.
func TestReadUpdateWrongShape(t *testing.T) {
	for in, want := range map[string]string{
		`[]`:                   "a JSON array, not an object",
		`"full.json"`:          "a JSON string, not an object",
		`{"products": 3}`:      `"products" is a JSON number`,
		`{"schema_version":1}`: `"schema_version" is a JSON number`,
		`[{"name": "nginx"`:    "not JSON",
	} {
		_, _, err := ReadUpdate([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "Go value") {
			t.Errorf("ReadUpdate(%s) = %v, want an error with %q", in, err, want)
		}
	}
}
