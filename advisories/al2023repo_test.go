package advisories

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

// repoFixture is the createrepo_c output in testdata/al2023repo (see its
// build.sh): old is release 2023.8.20250808, new is 2023.9.20251014.
const repoFixture = "testdata/al2023repo"

// serveRepo serves the fixture tree over HTTP, with a mirror list per
// repository that points at it, as the AL2023 CDN does; change rewrites
// a file's bytes before they are served.
func serveRepo(t *testing.T, change func(path string, b []byte) []byte) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name, ok := strings.CutSuffix(r.URL.Path, "/mirror.list"); ok {
			fmt.Fprintf(w, "%s%s/\n", srv.URL, name)
			return
		}
		b, err := os.ReadFile(filepath.Join(repoFixture, filepath.FromSlash(strings.TrimPrefix(r.URL.Path, "/"))))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if change != nil {
			b = change(r.URL.Path, b)
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func primaryName(t *testing.T, dir string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(repoFixture, dir, "repodata", "*-primary.xml.gz"))
	if err != nil || len(m) != 1 {
		t.Fatalf("fixture %s: %v %v", dir, m, err)
	}
	return filepath.Base(m[0])
}

func TestFetchAL2023(t *testing.T) {
	srv := serveRepo(t, nil)
	ctx := context.Background()
	r, err := FetchAL2023(ctx, srv.Client(), []AL2023RepoSpec{
		{Name: "core", MirrorList: srv.URL + "/new/mirror.list", SupportInfo: srv.URL + "/new/AL2023-supportinfo-1.0.xml"},
		{Name: "spal", MirrorList: srv.URL + "/spal/mirror.list"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Release != "2023.9.20251014" || r.ReleaseDate != "2025-10-14" {
		t.Errorf("release %s %s, want 2023.9.20251014 2025-10-14", r.Release, r.ReleaseDate)
	}
	got := map[string]AL2023Package{}
	for _, p := range r.Packages {
		got[p.Name] = p
	}
	for name, want := range map[string]string{"php8.4-fpm": "8.4.13", "valkey": "8.0.6", "nginx": "1.28.0", "htop": "3.3.0", "mariadb105-server": "10.5.29"} {
		if got[name].Version != want {
			t.Errorf("%s: version %q, want %q (newest build)", name, got[name].Version, want)
		}
	}
	if got["htop"].Repo != "spal" || got["nginx"].Repo != "core" {
		t.Errorf("repositories: htop %q nginx %q", got["htop"].Repo, got["nginx"].Repo)
	}
	if len(r.Repos) != 2 || !strings.HasPrefix(r.Repos[0].Checksum, "sha256:") || r.Repos[0].URL != srv.URL+"/new/" {
		t.Errorf("sources: %+v", r.Repos)
	}
	var php Support
	for _, s := range r.Support {
		if s.Package == "php8.4-fpm" {
			php = Support(s)
		}
	}
	if php.Ends != "2028-12-31" || r.SupportAsOf != "2025-10-14" {
		t.Errorf("php8.4-fpm support %+v, as of %s", php, r.SupportAsOf)
	}

	// Judging with it: php 8.4 and valkey are offered now.
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	nd := d.WithAL2023Repo(r)
	if nd.AL2023Release() != "2023.9.20251014" || nd.AL2023Date.Format(time.DateOnly) != "2025-10-14" || nd.AL2023Origin() == "" {
		t.Errorf("data: release %s date %s origin %q", nd.AL2023Release(), nd.AL2023Date, nd.AL2023Origin())
	}
	if !nd.AL2023Ships("php8.4-fpm") || nd.AL2023Ships("php8.1") || !d.AL2023Ships("php8.1") {
		t.Error("AL2023Ships does not follow the repository data")
	}
	if s, ok := nd.AL2023Support("php8.4"); !ok || s.Ends != "2028-12-31" {
		t.Errorf("AL2023Support(php8.4) = %+v %v", s, ok)
	}
}

// Support is a local alias so the test reads as the field names.
type Support = AL2023Support

// TestFetchAL2023Refuses: every damaged answer fails the whole fetch.
func TestFetchAL2023Refuses(t *testing.T) {
	prim := primaryName(t, "new")
	cases := []struct {
		name   string
		mirror string
		change func(path string, b []byte) []byte
		want   string
	}{
		{"truncated primary", "new", func(p string, b []byte) []byte {
			if strings.HasSuffix(p, prim) {
				return b[:len(b)/2]
			}
			return b
		}, "truncated"},
		{"damaged primary", "new", func(p string, b []byte) []byte {
			if strings.HasSuffix(p, prim) {
				b = bytes.Clone(b)
				b[len(b)/2] ^= 0xff
			}
			return b
		}, "checksum"},
		{"repomd is an HTML page", "new", func(p string, b []byte) []byte {
			if strings.HasSuffix(p, "repomd.xml") {
				return []byte("<!DOCTYPE html><html><body>503 Service Unavailable</body></html>")
			}
			return b
		}, "repomd.xml"},
		{"truncated repomd", "new", func(p string, b []byte) []byte {
			if strings.HasSuffix(p, "repomd.xml") {
				return b[:len(b)/3]
			}
			return b
		}, "repomd.xml"},
		{"primary outside repodata", "new", func(p string, b []byte) []byte {
			if strings.HasSuffix(p, "repomd.xml") {
				return bytes.ReplaceAll(b, []byte(`href="repodata/`), []byte(`href="../../etc/`))
			}
			return b
		}, "not inside repodata"},
		{"not a core repository", "spal", nil, "no system-release"},
		{"mirror list of garbage", "none", nil, "mirror list"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := serveRepo(t, c.change)
			if c.mirror == "none" {
				srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "file:///etc/passwd\n") }))
				defer srv.Close()
			}
			_, err := FetchAL2023(context.Background(), srv.Client(), []AL2023RepoSpec{{Name: "core", MirrorList: srv.URL + "/" + c.mirror + "/mirror.list"}})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

// TestPrimaryCountAndCompression: a primary file that holds fewer
// packages than it declares is refused even when its checksums were
// recomputed; zstd-compressed metadata (createrepo_c --compress-type=zstd)
// reads like gzip.
func TestPrimaryCountAndCompression(t *testing.T) {
	dir := t.TempDir()
	prim := primaryName(t, "new")
	gz, err := os.ReadFile(filepath.Join(repoFixture, "new", "repodata", prim))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	xmlb, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	write := func(xmlb []byte, ext string) {
		t.Helper()
		var comp bytes.Buffer
		switch ext {
		case ".gz":
			w := gzip.NewWriter(&comp)
			w.Write(xmlb)
			w.Close()
		case ".zst":
			w, _ := zstd.NewWriter(&comp)
			w.Write(xmlb)
			w.Close()
		}
		sum := func(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }
		os.RemoveAll(filepath.Join(dir, "repodata"))
		os.MkdirAll(filepath.Join(dir, "repodata"), 0o755)
		name := "repodata/" + sum(comp.Bytes()) + "-primary.xml" + ext
		os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), comp.Bytes(), 0o644)
		md := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>1760400000</revision>
  <data type="primary">
    <checksum type="sha256">%s</checksum>
    <open-checksum type="sha256">%s</open-checksum>
    <location href="%s"/>
    <size>%d</size>
    <open-size>%d</open-size>
  </data>
</repomd>
`, sum(comp.Bytes()), sum(xmlb), name, comp.Len(), len(xmlb))
		os.WriteFile(filepath.Join(dir, "repodata", "repomd.xml"), []byte(md), 0o644)
	}
	spec := []AL2023RepoSpec{{Name: "core", Dir: dir}}

	write(xmlb, ".zst")
	r, err := FetchAL2023(context.Background(), nil, spec)
	if err != nil || r.Release != "2023.9.20251014" {
		t.Fatalf("zstd metadata: %v", err)
	}

	// Cut the last package out but keep the declaration.
	i := bytes.LastIndex(xmlb, []byte("<package "))
	cut := append(bytes.Clone(xmlb[:i]), []byte("</metadata>\n")...)
	write(cut, ".gz")
	if _, err := FetchAL2023(context.Background(), nil, spec); err == nil || !strings.Contains(err.Error(), "declares 13") {
		t.Fatalf("a primary short of a package: err = %v", err)
	}
}

func TestParseSupportInfo(t *testing.T) {
	legacy := `<?xml version="1.0" ?>
<package_support current_as="2024-01-17T17:56:42.030924">
  <statements>
    <statement end_date="2025-06-24" id="eol_mariadb105" marker="supported" start_date="2023-03-15">
      <summary>MariaDB 10.5 has security support until June 2025</summary>
      <packages>
        <package name="mariadb105" note="eol_mariadb105"/>
        <package name="mariadb105-server" note="eol_mariadb105"/>
      </packages>
    </statement>
  </statements>
</package_support>`
	st, asOf, err := ParseSupportInfo([]byte(legacy))
	if err != nil || asOf != "2024-01-17" || len(st) != 2 || st[1].Package != "mariadb105-server" || st[1].Ends != "2025-06-24" {
		t.Fatalf("legacy shape: %+v %s %v", st, asOf, err)
	}
	b, err := os.ReadFile(filepath.Join(repoFixture, "new", "AL2023-supportinfo-1.0.xml"))
	if err != nil {
		t.Fatal(err)
	}
	st, _, err = ParseSupportInfo(b)
	if err != nil || len(st) != 3 || st[0].Package != "nginx" || st[0].Ends != "2029-06-30" {
		t.Fatalf("schema 1.0: %+v %v", st, err)
	}
	// The legacy shape as AWS publishes it (support_info.xsd): a package
	// listed under a statement with a note naming a <note> (a dependency
	// of the statement's package), a <notes> section, and a statement of
	// non-support, whose start is the end of support.
	full := `<?xml version="1.0" ?>
<package_support current_as="2024-01-17T17:56:42.030924">
  <!--Auto-Generated-->
  <statements>
    <statement end_date="2026-04-30" id="eol_nodejs20" marker="supported" start_date="2023-12-11">
      <summary>Node.js 20 has security support until April 2026</summary>
      <text>Support follows upstream.</text>
      <link>https://nodejs.org/en/about/previous-releases</link>
      <packages>
        <package name="nodejs20" note="eol_nodejs20"/>
        <package name="nodejs20-devel-tools" note="nodejs20_dep"/>
      </packages>
    </statement>
    <statement id="dep_pcre" marker="unsupported" start_date="2025-01-01" end_date="2029-06-30">
      <summary>pcre is deprecated</summary>
      <text>Use pcre2.</text>
      <link>https://docs.aws.amazon.com/linux/al2023/ug/deprecated-al2023.html</link>
      <packages><package name="pcre"/></packages>
    </statement>
  </statements>
  <notes>
    <note id="eol_nodejs20">Upstream end-of-life for Node.js 20 is 2026-04-30</note>
    <note id="nodejs20_dep">This package depends on nodejs20.</note>
  </notes>
</package_support>`
	st, _, err = ParseSupportInfo([]byte(full))
	if err != nil || len(st) != 3 {
		t.Fatalf("full legacy shape: %+v %v", st, err)
	}
	want := map[string]string{"nodejs20": "2026-04-30", "nodejs20-devel-tools": "2026-04-30", "pcre": "2025-01-01"}
	for _, s := range st {
		if want[s.Package] != s.Ends {
			t.Errorf("%s: ends %q, want %q (level %s)", s.Package, s.Ends, want[s.Package], s.Level)
		}
	}
	// Schema 1.0 beyond the fixture: a phase dated by start_date, a
	// limited level that still patches, a lifecycle that starts unsupported,
	// and a name under two origins (the earlier end counts).
	v1 := `<package_support schema_version="1.0" current_as="2026-01-01T00:00:00">
  <lifecycles>
    <lifecycle name="lts"><phase name="a" support_level="std" start_date="2023-03-15"/><phase name="b" support_level="limited" start_date="2027-07-01"/><phase name="c" support_level="eos" start_date="2029-07-01"/></lifecycle>
    <lifecycle name="up"><phase name="a" support_level="std" start_date="2023-03-15"/><phase name="b" support_level="eos" start_date="2026-04-30"/></lifecycle>
    <lifecycle name="gone"><phase name="a" support_level="eos" start_date="2023-03-15"/></lifecycle>
    <lifecycle name="open"><phase name="a" support_level="std" start_date="2023-03-15"/></lifecycle>
  </lifecycles>
  <support_milestones/>
  <support_levels>
    <support_level name="std" severities="Low,Medium,Important,Critical"/>
    <support_level name="limited" severities="Important,Critical"/>
    <support_level name="eos" severities=""/>
  </support_levels>
  <packages>
    <package name="httpd" lifecycle="lts" origin="core"/>
    <package name="nodejs20" lifecycle="lts" origin="core"/>
    <package name="nodejs20" lifecycle="up" origin="spal"/>
    <package name="python3.6" lifecycle="gone" origin="core"/>
    <package name="git" lifecycle="open" origin="core"/>
  </packages>
  <package_classes/>
  <package_origins><package_origin name="core" repo_id="amazonlinux" dist="amzn2023" vendor="amazonlinux"/><package_origin name="spal" repo_id="spal" dist="amzn2023" vendor="amazonlinux"/></package_origins>
  <notes/>
</package_support>`
	st, _, err = ParseSupportInfo([]byte(v1))
	if err != nil || len(st) != 4 {
		t.Fatalf("schema 1.0 variants: %+v %v", st, err)
	}
	want = map[string]string{"httpd": "2029-07-01", "nodejs20": "2026-04-30", "python3.6": "2023-03-15", "git": ""}
	for _, s := range st {
		if e, ok := want[s.Package]; !ok || e != s.Ends {
			t.Errorf("schema 1.0 %s: ends %q, want %q", s.Package, s.Ends, e)
		}
	}
	for name, bad := range map[string]string{
		"unknown support level": strings.Replace(v1, `support_level="limited"`, `support_level="nope"`, 1),
		"unknown origin":        strings.Replace(v1, `origin="spal"/>`, `origin="epel"/>`, 1),
		"phase without a start": strings.Replace(v1, ` start_date="2026-04-30"`, ``, 1),
		"phase with two starts": strings.Replace(v1, `start_date="2026-04-30"`, `start_date="2026-04-30" start_milestone="x"`, 1),
		"bad phase date":        strings.Replace(v1, `start_date="2026-04-30"`, `start_date="April"`, 1),
		"unknown note":          strings.Replace(v1, `<lifecycle name="up">`, `<lifecycle name="up" note="n">`, 1),
		"schema 2.0":            strings.Replace(v1, `schema_version="1.0"`, `schema_version="2.0"`, 1),
	} {
		if _, _, err := ParseSupportInfo([]byte(bad)); err == nil {
			t.Errorf("schema 1.0 %s: accepted", name)
		}
	}
	for name, bad := range map[string]string{
		"unknown marker":    strings.Replace(full, `marker="unsupported"`, `marker="maybe"`, 1),
		"bad start date":    strings.Replace(full, `start_date="2025-01-01"`, `start_date="2025"`, 1),
		"truncated":         string(b[:len(b)/2]),
		"unknown lifecycle": strings.Replace(string(b), `lifecycle="php84_lc" origin`, `lifecycle="nope" origin`, 1),
		"unknown milestone": strings.Replace(string(b), `start_milestone="PHP84_EOS"`, `start_milestone="X"`, 1),
		"bad date":          strings.Replace(legacy, `end_date="2025-06-24"`, `end_date="soon"`, 1),
		"empty":             `<package_support schema_version="1.0"/>`,
	} {
		if _, _, err := ParseSupportInfo([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestAL2023RepoValidate(t *testing.T) {
	r := &AL2023Repo{Release: "2023.9.20251014", ReleaseDate: "2025-10-14", Packages: []AL2023Package{{Name: "x", Version: "1", Release: "1.amzn2023"}}}
	if err := r.Validate(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)); err == nil || !strings.Contains(err.Error(), "future") {
		t.Errorf("a release after now: %v", err)
	}
	if err := r.Validate(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Error(err)
	}
	r.ReleaseDate = "2025-10-15"
	if err := r.Validate(time.Time{}); err == nil {
		t.Error("a date that is not the release's: accepted")
	}
}
