package advisories

import (
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"

	"upkeep/advisories/version"
)

// AL2023Repo is what Amazon Linux 2023's own repositories say they ship:
// the newest build of every binary package, per repository, the release
// the core repository describes, and the per-package support statements.
// 'upkeep data update' builds it from the repository metadata and stores it
// as JSON; judging then reads it in place of the embedded release notes.
type AL2023Repo struct {
	Release     string          `json:"release"`      // 2023.9.20251014: the core repository's system-release version
	ReleaseDate string          `json:"release_date"` // YYYY-MM-DD, from the release name
	Repos       []AL2023Source  `json:"repos"`
	Packages    []AL2023Package `json:"packages"`
	Support     []AL2023Support `json:"support,omitempty"`
	SupportAsOf string          `json:"support_as_of,omitempty"` // the support file's current_as day
}

// AL2023Source is one repository read: where from and what was verified.
type AL2023Source struct {
	Name     string `json:"name"` // core, spal
	URL      string `json:"url"`  // the repository base (from the mirror list) or directory
	Revision string `json:"revision"`
	Primary  string `json:"primary"`  // location of the primary metadata
	Checksum string `json:"checksum"` // its checksum as repomd.xml states and upkeep verified, "sha256:..."
	Count    int    `json:"count"`    // packages in the primary metadata
}

// AL2023Package is the newest build of one binary package name.
type AL2023Package struct {
	Name    string `json:"name"`
	Epoch   string `json:"epoch,omitempty"`
	Version string `json:"version"`
	Release string `json:"release"`
	Source  string `json:"source,omitempty"` // source RPM
	Repo    string `json:"repo"`             // core or spal
}

// AL2023Support is the support file's statement for one package.
type AL2023Support struct {
	Package string `json:"package"`
	Level   string `json:"level"` // the phase's support level or marker (supported, eos, ...)
	Ends    string `json:"ends,omitempty"`
	Summary string `json:"summary,omitempty"`
}

// Limits on what an AL2023 update reads. Real AL2023 metadata is far
// smaller (the core primary is a few MB compressed, tens uncompressed);
// the limits keep a hostile or broken mirror from exhausting memory.
const (
	maxMirrorList   = 64 << 10
	maxRepomd       = 1 << 20
	maxPrimary      = 64 << 20  // compressed
	maxPrimaryOpen  = 512 << 20 // uncompressed
	maxSupportInfo  = 32 << 20
	maxRepoPackages = 200000
)

// AL2023RepoSpec names one repository to read: its mirror list (online) or
// directory (a copy of the repository metadata, for air-gapped hosts).
type AL2023RepoSpec struct {
	Name        string // core, spal
	MirrorList  string // URL of mirror.list; the first URL in it is the repository base
	Dir         string // or a directory holding repodata/repomd.xml
	SupportInfo string // URL or file of the SupportInfo XML, "" for none
}

// reader gets one file of a repository, at most limit bytes; a longer one
// is an error, never silently cut.
type reader func(ctx context.Context, name string, limit int64) ([]byte, error)

// FetchAL2023 reads every repository in specs and returns the combined
// data. It is all or nothing: a mirror that fails, a repomd.xml that does
// not parse, a primary file whose size or checksum differs from what
// repomd.xml states, a truncated or damaged archive, or fewer packages than
// the metadata declares fails the whole update, so the caller keeps its
// old data. The first spec must be the core repository: it names the release.
func FetchAL2023(ctx context.Context, client *http.Client, specs []AL2023RepoSpec) (*AL2023Repo, error) {
	if len(specs) == 0 {
		return nil, errors.New("no AL2023 repository given")
	}
	out := &AL2023Repo{}
	for _, sp := range specs {
		var get reader
		base := sp.Dir
		switch {
		case sp.Dir != "":
			get = dirReader(sp.Dir)
		case sp.MirrorList != "":
			b, err := httpGet(ctx, client, sp.MirrorList, maxMirrorList)
			if err != nil {
				return nil, fmt.Errorf("%s mirror list: %w", sp.Name, err)
			}
			if base, err = firstMirror(b); err != nil {
				return nil, fmt.Errorf("%s mirror list %s: %w", sp.Name, sp.MirrorList, err)
			}
			get = urlReader(client, base)
		default:
			return nil, fmt.Errorf("repository %s: no mirror list or directory", sp.Name)
		}
		src, pkgs, err := readRepo(ctx, get, sp.Name)
		if err != nil {
			return nil, fmt.Errorf("%s repository %s: %w", sp.Name, base, err)
		}
		src.URL = base
		out.Repos = append(out.Repos, src)
		out.Packages = append(out.Packages, pkgs...)
		if sp.SupportInfo != "" {
			var b []byte
			if strings.HasPrefix(sp.SupportInfo, "http://") || strings.HasPrefix(sp.SupportInfo, "https://") {
				b, err = httpGet(ctx, client, sp.SupportInfo, maxSupportInfo)
			} else {
				b, err = readFileLimited(sp.SupportInfo, maxSupportInfo)
			}
			if err != nil {
				return nil, fmt.Errorf("%s support information: %w", sp.Name, err)
			}
			st, asOf, err := ParseSupportInfo(b)
			if err != nil {
				return nil, fmt.Errorf("%s support information %s: %w", sp.Name, sp.SupportInfo, err)
			}
			out.Support = append(out.Support, st...)
			if asOf > out.SupportAsOf {
				out.SupportAsOf = asOf
			}
		}
	}
	rel, err := releaseOf(out.Packages, specs[0].Name)
	if err != nil {
		return nil, err
	}
	out.Release = rel
	if out.ReleaseDate, err = releaseDate(rel); err != nil {
		return nil, err
	}
	return out, out.Validate(time.Time{})
}

// releaseOf is the version of the core repository's system-release package:
// Amazon Linux 2023 names each release by it (2023.9.20251014).
func releaseOf(pkgs []AL2023Package, core string) (string, error) {
	best := ""
	for _, p := range pkgs {
		if p.Repo == core && p.Name == "system-release" && (best == "" || version.Compare(version.RPM, p.Version, best) > 0) {
			best = p.Version
		}
	}
	if best == "" {
		return "", fmt.Errorf("the %s repository has no system-release package: not an Amazon Linux 2023 core repository", core)
	}
	return best, nil
}

var releaseRE = regexp.MustCompile(`^2023\.\d+\.(\d{8})$`)

// releaseDate reads the day from a release name: 2023.9.20251014 is
// 2025-10-14 (the naming AWS documents for AL2023 releases).
func releaseDate(rel string) (string, error) {
	m := releaseRE.FindStringSubmatch(rel)
	if m == nil {
		return "", fmt.Errorf("release %q is not an Amazon Linux 2023 release name (2023.N.YYYYMMDD)", rel)
	}
	t, err := time.Parse("20060102", m[1])
	if err != nil {
		return "", fmt.Errorf("release %q: %w", rel, err)
	}
	return t.Format(time.DateOnly), nil
}

// Validate checks a stored or fetched repository snapshot before it is
// used: a release, packages, and (when now is not zero) a release day that
// is not in the future.
func (r *AL2023Repo) Validate(now time.Time) error {
	if r.Release == "" || len(r.Packages) == 0 {
		return errors.New("AL2023 repository data has no release or no packages")
	}
	d, err := releaseDate(r.Release)
	if err != nil {
		return err
	}
	if d != r.ReleaseDate {
		return fmt.Errorf("release %s does not match its date %s", r.Release, r.ReleaseDate)
	}
	if !now.IsZero() {
		t, _ := time.Parse(time.DateOnly, d)
		if t.After(now.Add(24 * time.Hour)) {
			return fmt.Errorf("release %s is dated in the future (%s)", r.Release, d)
		}
	}
	return nil
}

func firstMirror(b []byte) (string, error) {
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		u, err := url.Parse(line)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("first entry %q is not an http(s) URL", truncate(line, 80))
		}
		return strings.TrimRight(line, "/") + "/", nil
	}
	return "", errors.New("no mirror in the list")
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

func httpGet(ctx context.Context, client *http.Client, u string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d from %s", resp.StatusCode, u)
	}
	return readLimited(resp.Body, limit, u)
}

func readLimited(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", what, limit)
	}
	return b, nil
}

func readFileLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, limit, name)
}

func urlReader(client *http.Client, base string) reader {
	return func(ctx context.Context, name string, limit int64) ([]byte, error) {
		return httpGet(ctx, client, base+name, limit)
	}
}

func dirReader(dir string) reader {
	return func(_ context.Context, name string, limit int64) ([]byte, error) {
		return readFileLimited(filepath.Join(dir, filepath.FromSlash(name)), limit)
	}
}

// repomd is repodata/repomd.xml (createrepo_c's format).
type repomd struct {
	XMLName  xml.Name `xml:"repomd"`
	Revision string   `xml:"revision"`
	Data     []struct {
		Type     string `xml:"type,attr"`
		Checksum struct {
			Type  string `xml:"type,attr"`
			Value string `xml:",chardata"`
		} `xml:"checksum"`
		OpenChecksum struct {
			Type  string `xml:"type,attr"`
			Value string `xml:",chardata"`
		} `xml:"open-checksum"`
		Location struct {
			Href string `xml:"href,attr"`
		} `xml:"location"`
		Size     int64 `xml:"size"`
		OpenSize int64 `xml:"open-size"`
	} `xml:"data"`
}

func newHash(typ string) (hash.Hash, error) {
	switch typ {
	case "sha256":
		return sha256.New(), nil
	case "sha512":
		return sha512.New(), nil
	}
	return nil, fmt.Errorf("checksum type %q: want sha256 or sha512", typ)
}

func checkSum(b []byte, typ, want, what string) error {
	h, err := newHash(typ)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	h.Write(b)
	if got := hex.EncodeToString(h.Sum(nil)); !strings.EqualFold(got, strings.TrimSpace(want)) {
		return fmt.Errorf("%s: %s checksum %s, repomd.xml says %s (damaged or changed while read: try again)", what, typ, got, strings.TrimSpace(want))
	}
	return nil
}

// readRepo reads one repository's repomd.xml and primary metadata.
func readRepo(ctx context.Context, get reader, name string) (AL2023Source, []AL2023Package, error) {
	src := AL2023Source{Name: name}
	b, err := get(ctx, "repodata/repomd.xml", maxRepomd)
	if err != nil {
		return src, nil, err
	}
	var md repomd
	if err := xml.Unmarshal(b, &md); err != nil {
		return src, nil, fmt.Errorf("repodata/repomd.xml: %w", err)
	}
	src.Revision = md.Revision
	for _, d := range md.Data {
		if d.Type != "primary" {
			continue
		}
		href := d.Location.Href
		if !strings.HasPrefix(href, "repodata/") || strings.Contains(href, "..") || path.Clean(href) != href {
			return src, nil, fmt.Errorf("repomd.xml: primary location %q is not inside repodata/", truncate(href, 80))
		}
		if d.Size <= 0 || d.Size > maxPrimary || d.OpenSize < 0 || d.OpenSize > maxPrimaryOpen {
			return src, nil, fmt.Errorf("repomd.xml: primary size %d (open %d) outside the limits (%d, %d)", d.Size, d.OpenSize, maxPrimary, maxPrimaryOpen)
		}
		raw, err := get(ctx, href, d.Size)
		if err != nil {
			return src, nil, err
		}
		if int64(len(raw)) != d.Size {
			return src, nil, fmt.Errorf("%s: %d bytes, repomd.xml says %d (truncated: try again)", href, len(raw), d.Size)
		}
		if err := checkSum(raw, d.Checksum.Type, d.Checksum.Value, href); err != nil {
			return src, nil, err
		}
		open, err := decompress(href, raw, d.OpenSize)
		if err != nil {
			return src, nil, err
		}
		if d.OpenChecksum.Value != "" {
			if err := checkSum(open, d.OpenChecksum.Type, d.OpenChecksum.Value, href+" (uncompressed)"); err != nil {
				return src, nil, err
			}
		}
		pkgs, err := parsePrimary(open, name)
		if err != nil {
			return src, nil, fmt.Errorf("%s: %w", href, err)
		}
		src.Primary, src.Checksum = href, d.Checksum.Type+":"+strings.TrimSpace(d.Checksum.Value)
		src.Count = len(pkgs)
		return src, newestPerName(pkgs), nil
	}
	return src, nil, errors.New("repomd.xml lists no primary metadata")
}

// decompress opens the primary file by its extension: createrepo_c writes
// .gz by default and .zst or .xz when asked. The size is bounded by what
// repomd.xml declares (or the limit when it declares none).
func decompress(href string, raw []byte, openSize int64) ([]byte, error) {
	limit := int64(maxPrimaryOpen)
	if openSize > 0 {
		limit = openSize
	}
	var r io.Reader
	switch {
	case strings.HasSuffix(href, ".gz"):
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", href, err)
		}
		r = zr
	case strings.HasSuffix(href, ".zst"):
		zr, err := zstd.NewReader(bytes.NewReader(raw), zstd.WithDecoderMaxMemory(uint64(maxPrimaryOpen)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", href, err)
		}
		defer zr.Close()
		r = zr
	case strings.HasSuffix(href, ".bz2"):
		r = bzip2.NewReader(bytes.NewReader(raw))
	case strings.HasSuffix(href, ".xml"):
		r = bytes.NewReader(raw)
	default:
		return nil, fmt.Errorf("%s: compression not supported (want .gz, .zst, .bz2 or plain .xml); fetch the metadata with createrepo_c --compress-type=gz", href)
	}
	b, err := readLimited(r, limit, href+" (uncompressed)")
	if err != nil {
		return nil, err
	}
	if openSize > 0 && int64(len(b)) != openSize {
		return nil, fmt.Errorf("%s: %d bytes uncompressed, repomd.xml says %d", href, len(b), openSize)
	}
	return b, nil
}

// parsePrimary reads primary.xml (the common metadata namespace of
// createrepo_c) and checks that it holds as many packages as it declares.
func parsePrimary(b []byte, repo string) ([]AL2023Package, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	declared, total := -1, 0
	var out []AL2023Package
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("primary metadata: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "metadata":
			for _, a := range se.Attr {
				if a.Name.Local == "packages" {
					n, err := strconv.Atoi(a.Value)
					if err != nil || n < 0 || n > maxRepoPackages {
						return nil, fmt.Errorf("primary metadata: packages=%q", truncate(a.Value, 20))
					}
					declared = n
				}
			}
		case "package":
			var p struct {
				Name    string `xml:"name"`
				Arch    string `xml:"arch"`
				Version struct {
					Epoch string `xml:"epoch,attr"`
					Ver   string `xml:"ver,attr"`
					Rel   string `xml:"rel,attr"`
				} `xml:"version"`
				Format struct {
					SourceRPM string `xml:"sourcerpm"`
				} `xml:"format"`
			}
			if err := dec.DecodeElement(&p, &se); err != nil {
				return nil, fmt.Errorf("primary metadata package %d: %w", len(out)+1, err)
			}
			if p.Name == "" || p.Version.Ver == "" {
				return nil, fmt.Errorf("primary metadata package %d has no name or version", len(out)+1)
			}
			if total >= maxRepoPackages {
				return nil, fmt.Errorf("primary metadata: more than %d packages", maxRepoPackages)
			}
			ep := p.Version.Epoch
			if ep == "0" {
				ep = ""
			}
			total++
			if p.Arch == "src" {
				continue // counted in the declaration, but not installable
			}
			out = append(out, AL2023Package{Name: p.Name, Epoch: ep, Version: p.Version.Ver, Release: p.Version.Rel,
				Source: strings.TrimSuffix(p.Format.SourceRPM, ".src.rpm"), Repo: repo})
		}
	}
	if declared < 0 {
		return nil, errors.New("primary metadata: no <metadata packages=...> element")
	}
	if total != declared {
		return nil, fmt.Errorf("primary metadata: %d packages, it declares %d (truncated: try again)", total, declared)
	}
	if len(out) == 0 {
		return nil, errors.New("primary metadata lists no packages")
	}
	return out, nil
}

// newestPerName keeps the newest build of each name: AL2023 repositories
// keep every earlier build too, and only the newest is what installs.
func newestPerName(pkgs []AL2023Package) []AL2023Package {
	idx := map[string]int{}
	var out []AL2023Package
	for _, p := range pkgs {
		i, ok := idx[p.Name]
		if !ok {
			idx[p.Name] = len(out)
			out = append(out, p)
			continue
		}
		if cmpEVR(p, out[i]) > 0 {
			out[i] = p
		}
	}
	return out
}

func cmpEVR(a, b AL2023Package) int {
	evr := func(p AL2023Package) string {
		s := p.Version + "-" + p.Release
		if p.Epoch != "" {
			s = p.Epoch + ":" + s
		}
		return s
	}
	return version.Compare(version.RPM, evr(a), evr(b))
}

// ReadAL2023Repo reads repository data that 'upkeep data update' stored
// and checks it as the update did; now (when not zero) refuses a release
// dated in the future.
func ReadAL2023Repo(b []byte, now time.Time) (*AL2023Repo, error) {
	var r AL2023Repo
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("AL2023 repository data: %w", err)
	}
	if err := r.Validate(now); err != nil {
		return nil, err
	}
	return &r, nil
}
