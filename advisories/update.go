package advisories

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"upkeep/registry"
)

// MappedProducts lists every product upkeep can judge: the targets of the
// package rules, the OS families and the probes. These are the products
// `upkeep data update` fetches.
func MappedProducts() []string {
	set := map[string]bool{}
	reg := registry.Default()
	for _, p := range reg.StreamProducts() {
		set[p] = true
	}
	for _, p := range reg.Products {
		set[p.Slug] = true
	}
	for _, f := range reg.OSFamilies {
		set[f.Product] = true
	}
	for _, r := range reg.Replacements() {
		set[r.With] = true
	}
	for _, p := range reg.InsteadProducts() {
		set[p] = true
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// apiEnvelope is every endoflife.date API v1 response.
type apiEnvelope struct {
	SchemaVersion string          `json:"schema_version"`
	Result        json.RawMessage `json:"result"`
}

type apiProduct struct {
	Name     string `json:"name"`
	Label    string `json:"label"`
	Category string `json:"category"`
	Labels   struct {
		EOAS *string `json:"eoas"`
		EOL  *string `json:"eol"`
		EOES *string `json:"eoes"`
	} `json:"labels"`
	Releases []apiRelease `json:"releases"`
}

type apiRelease struct {
	Name        string  `json:"name"`
	Codename    *string `json:"codename"`
	ReleaseDate *string `json:"releaseDate"`
	IsLTS       *bool   `json:"isLts"`
	LTSFrom     *string `json:"ltsFrom"`
	IsEOAS      *bool   `json:"isEoas"`
	EOASFrom    *string `json:"eoasFrom"`
	IsEOL       *bool   `json:"isEol"`
	EOLFrom     *string `json:"eolFrom"`
	IsEOES      *bool   `json:"isEoes"`
	EOESFrom    *string `json:"eoesFrom"`
	Latest      *struct {
		Name string `json:"name"`
	} `json:"latest"`
}

// phaseJSON maps API v1's (date, flag) pair back to the snapshot's value:
// the date when there is one, else the flag, else null (the data README).
func phaseJSON(date *string, flag *bool) json.RawMessage {
	switch {
	case date != nil:
		b, _ := json.Marshal(*date)
		return b
	case flag != nil && *flag:
		return json.RawMessage("true")
	case flag != nil:
		return json.RawMessage("false")
	}
	return json.RawMessage("null")
}

// convertAPIProduct validates one API v1 product and converts it.
func convertAPIProduct(ap apiProduct) (*Product, error) {
	if ap.Name == "" {
		return nil, errors.New("product has no name")
	}
	if len(ap.Releases) == 0 {
		return nil, fmt.Errorf("product %s has no releases", ap.Name)
	}
	sp := snapshotProduct{Label: ap.Label, Category: ap.Category}
	sp.Labels.EOAS, sp.Labels.EOL, sp.Labels.EOES = ap.Labels.EOAS, ap.Labels.EOL, ap.Labels.EOES
	for _, r := range ap.Releases {
		sr := snapshotRelease{Cycle: r.Name, Codename: r.Codename, ReleaseDate: r.ReleaseDate,
			LTS: phaseJSON(r.LTSFrom, r.IsLTS), EOAS: phaseJSON(r.EOASFrom, r.IsEOAS),
			EOL: phaseJSON(r.EOLFrom, r.IsEOL), EOES: phaseJSON(r.EOESFrom, r.IsEOES)}
		if r.Latest != nil {
			sr.Latest = &r.Latest.Name
		}
		sp.Releases = append(sp.Releases, sr)
	}
	return convertProduct(ap.Name, sp)
}

// ParseAPI reads an endoflife.date API v1 response: one product
// (/products/{product}/) or all of them (/products/full/).
func ParseAPI(b []byte) ([]*Product, error) {
	var env apiEnvelope
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, fmt.Errorf("not an endoflife.date API response: %w", err)
	}
	if env.SchemaVersion == "" || len(env.Result) == 0 {
		return nil, errors.New("not an endoflife.date API response: no schema_version or result")
	}
	var list []apiProduct
	if bytes.HasPrefix(bytes.TrimSpace(env.Result), []byte("[")) {
		if err := json.Unmarshal(env.Result, &list); err != nil {
			return nil, fmt.Errorf("read API result: %w", err)
		}
	} else {
		var one apiProduct
		if err := json.Unmarshal(env.Result, &one); err != nil {
			return nil, fmt.Errorf("read API result: %w", err)
		}
		list = []apiProduct{one}
	}
	out := make([]*Product, 0, len(list))
	for _, ap := range list {
		p, err := convertAPIProduct(ap)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Fetch downloads every product from an endoflife.date API v1 base URL
// (https://endoflife.date/api/v1). It is all or nothing: any bad response
// (an HTTP error, a rate limit, an HTML page, truncated JSON) fails the
// whole fetch, so the caller keeps its old data.
func Fetch(ctx context.Context, client *http.Client, baseURL string, products []string) ([]*Product, error) {
	base := strings.TrimRight(baseURL, "/")
	var out []*Product
	for _, name := range products {
		p, err := fetchOne(ctx, client, base+"/products/"+name+"/")
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w", name, err)
		}
		if p.Slug != name && !slices.Contains([]string{name}, p.Slug) {
			// A renamed product answers under its new name (after a redirect);
			// keep it under the name upkeep asks for.
			p.Slug = name
			for i := range p.Cycles {
				p.Cycles[i].Product = name
			}
		}
		out = append(out, p)
	}
	return out, nil
}

func fetchOne(ctx context.Context, client *http.Client, url string) (*Product, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", url, err)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		wait := resp.Header.Get("Retry-After")
		if wait == "" {
			wait = "a while"
		} else {
			wait += " seconds"
		}
		return nil, fmt.Errorf("rate limited (HTTP 429): try again after %s", wait)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("HTTP %d from %s", resp.StatusCode, url)
	}
	ps, err := ParseAPI(body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	if len(ps) != 1 {
		return nil, fmt.Errorf("%s: want one product, got %d", url, len(ps))
	}
	return ps[0], nil
}

// EncodeSnapshot writes products in the embedded snapshot's format, dated
// by when they were fetched.
func EncodeSnapshot(ps []*Product, fetched time.Time, origin string) ([]byte, error) {
	s := map[string]any{
		"source":        "endoflife.date",
		"origin":        origin,
		"snapshot_date": fetched.UTC().Format(time.DateOnly),
		"fetched_at":    fetched.UTC().Format(time.RFC3339),
	}
	prods := map[string]any{}
	for _, p := range ps {
		rel := make([]map[string]any, 0, len(p.Cycles))
		for _, c := range p.Cycles {
			rel = append(rel, map[string]any{"cycle": c.Name, "codename": nullable(c.Codename), "release_date": nullable(dateString(c.Released)),
				"lts": c.LTS, "eoas": phaseValue(c.EOAS), "eol": phaseValue(c.EOL), "eoes": phaseValue(c.EOES), "latest": nullable(c.Latest)})
		}
		prods[p.Slug] = map[string]any{"label": p.Label, "category": p.Category,
			"labels":   map[string]any{"eoas": nullable(p.Labels.EOAS), "eol": nullable(p.Labels.EOL), "eoes": nullable(p.Labels.EOES)},
			"releases": rel}
	}
	s["products"] = prods
	return json.MarshalIndent(s, "", " ")
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func phaseValue(e PhaseEnd) any {
	switch {
	case !e.Tracked:
		return nil
	case !e.Date.IsZero():
		return e.Date.Format(time.DateOnly)
	}
	return e.Ended
}

// ReadUpdate reads a stored or user-supplied update: a snapshot in the
// embedded format or an API v1 response. It returns the products and the
// date they describe (zero when the file does not say).
func ReadUpdate(b []byte) ([]*Product, time.Time, error) {
	if err := checkJSONShape(b); err != nil {
		return nil, time.Time{}, err
	}
	var probe struct {
		Products      json.RawMessage `json:"products"`
		SchemaVersion string          `json:"schema_version"`
		SnapshotDate  string          `json:"snapshot_date"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, time.Time{}, shapeError(err, "not JSON")
	}
	if probe.SchemaVersion != "" {
		ps, err := ParseAPI(b)
		var env struct {
			GeneratedAt time.Time `json:"generated_at"`
		}
		_ = json.Unmarshal(b, &env) // the date is informative: absent or odd, the caller dates it
		return ps, env.GeneratedAt.UTC().Truncate(24 * time.Hour), err
	}
	if len(probe.Products) == 0 {
		return nil, time.Time{}, errors.New("neither an endoflife.date snapshot (no products) nor an API v1 response")
	}
	var s snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, time.Time{}, shapeError(err, "read snapshot")
	}
	date, err := time.Parse(time.DateOnly, s.SnapshotDate)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("snapshot_date %q: %w", s.SnapshotDate, err)
	}
	var out []*Product
	for _, slug := range sortedKeys(s.Products) {
		p, err := convertProduct(slug, s.Products[slug])
		if err != nil {
			return nil, time.Time{}, err
		}
		if len(p.Cycles) == 0 {
			return nil, time.Time{}, fmt.Errorf("product %s has no releases", slug)
		}
		out = append(out, p)
	}
	return out, date, nil
}

// shapeError names JSON of another shape ([], "x", {"products": 3}) by what
// it is, not by the Go type it did not fit; other errors get the prefix.
func shapeError(err error, prefix string) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return fmt.Errorf("%s: %w", prefix, err)
	}
	if te.Field == "" {
		return fmt.Errorf("neither an endoflife.date snapshot nor an API v1 response: a JSON %s, not an object", te.Value)
	}
	return fmt.Errorf("neither an endoflife.date snapshot nor an API v1 response: %q is a JSON %s", te.Field, te.Value)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Limits on an end-of-life data file: the whole endoflife.date API
// (/products/full/) is a few MB and nests six levels deep, so these leave
// room while refusing a file built to exhaust memory or the decoder.
const (
	MaxDataFile  = 32 << 20
	maxJSONDepth = 32
)

// ReadDataFile reads a data file given on the command line, refusing one
// larger than MaxDataFile before reading it all.
func ReadDataFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxDataFile+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(b) > MaxDataFile {
		return nil, fmt.Errorf("%s is larger than %d MB: not an end-of-life data file", name, MaxDataFile>>20)
	}
	return b, nil
}

// checkJSONShape refuses JSON that is too large or nests deeper than any
// end-of-life data does, before it is decoded into memory.
func checkJSONShape(b []byte) error {
	if len(b) > MaxDataFile {
		return fmt.Errorf("%d bytes, more than the %d MB an end-of-life data file may have", len(b), MaxDataFile>>20)
	}
	depth := 0
	inStr, esc := false, false
	for _, c := range b {
		switch {
		case inStr:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
			if depth > maxJSONDepth {
				return fmt.Errorf("JSON nested more than %d levels deep: not end-of-life data", maxJSONDepth)
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}
