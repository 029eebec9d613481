package inventory_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"upkeep/internal/fixtures"
	"upkeep/inventory"
)

// decoy is a program that, if anyone runs it, leaves a marker file named
// after itself in dir: proof that the collector executed it.
func decoy(dir, name string) string {
	return "#!/bin/sh\n: > '" + filepath.Join(dir, name) + "'\necho 'decoy 9.9.9'\n"
}

// TestCollectorRunsOnlyRootsFiles: as root, the collector runs no program
// that another user owns or could have changed (the file, or any directory
// above it, not root's or writable by group or others), also through a
// symlink; it reads versions from files where the install has one, and runs
// what it must with a clean environment and the no-write flags.
func TestCollectorRunsOnlyRootsFiles(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: decoys are chowned to another user")
	}
	const nobody = 65534
	for _, sh := range shells(t) {
		t.Run(sh.name, func(t *testing.T) {
			marks := t.TempDir()
			h := fixtures.Host{Fixture: "rockylinux-9-container",
				Probes: []fixtures.Probe{
					// Root's: probed.
					{Path: "/usr/sbin/httpd", Output: "Server version: Apache/2.4.57 (Unix)", Owner: "httpd"},
					{Path: "/opt/valkey/bin/valkey-server", Output: "Valkey server v=7.2.5 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1"},
				},
				Files: map[string]string{
					// A user's Tomcat: its version.sh would run catalina.sh as root.
					"/opt/tomcat/bin/version.sh":  decoy(marks, "tomcat-version.sh"),
					"/opt/tomcat/bin/catalina.sh": decoy(marks, "tomcat-catalina.sh"),
					// Root's node in a group-writable folder.
					"/opt/node/bin/node": decoy(marks, "node"),
					// A user's php on a standard path.
					"/usr/local/bin/php": decoy(marks, "php"),
					// A root-owned name linking to a user's file.
					"/opt/evil/nginx": decoy(marks, "nginx"),
					// A user's JDK with a release file: read, never run.
					"/opt/app/jdk/bin/java": decoy(marks, "java"),
					"/opt/app/jdk/release":  "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"17.0.9\"\nJAVA_VERSION_DATE=\"2023-10-17\"\n",
					// Root's Tomcat with RELEASE-NOTES: read, not run.
					"/opt/tomcat10/bin/version.sh":  decoy(marks, "tomcat10-version.sh"),
					"/opt/tomcat10/bin/catalina.sh": decoy(marks, "tomcat10-catalina.sh"),
					"/opt/tomcat10/RELEASE-NOTES":   "================\n                     Apache Tomcat Version 10.1.34\n                            Release Notes\n",
					// A user's node with node_version.h: read, never run.
					"/home/dev/node-v18/bin/node":                    decoy(marks, "dev-node"),
					"/home/dev/node-v18/include/node/node_version.h": "#define NODE_MAJOR_VERSION 18\n#define NODE_MINOR_VERSION 19\n#define NODE_PATCH_VERSION 0\n",
					// Root's php and java: run, and say how.
					"/usr/bin/php":                 "#!/bin/sh\necho \"PHP 8.2.27 (cli) args=$* env=$(env | grep -c UPKEEP_SECRET) tmp=${TMPDIR:-unset} pwd=$(pwd)\"\n",
					"/usr/lib/jvm/jre-17/bin/java": "#!/bin/sh\necho \"openjdk version \\\"17.0.13\\\" args=$*\" >&2\n",
					// Oracle's JDK: the release file cannot tell it from Oracle's
					// OpenJDK builds, so root's own is run for its banner too.
					"/usr/lib/jvm/jdk-21-oracle/bin/java": "#!/bin/sh\necho 'java version \"21.0.5\" 2024-10-15 LTS' >&2\n",
					"/usr/lib/jvm/jdk-21-oracle/release":  "IMPLEMENTOR=\"Oracle Corporation\"\nJAVA_VERSION=\"21.0.5\"\n",
					// Names the collector does not look for.
					"/usr/local/lib/node/bin/nodejs":   decoy(marks, "nodejs-off-path"),
					"/usr/local/bin/redis-server-note": decoy(marks, "not-a-probe-name"),
				},
			}
			dir := t.TempDir()
			env, err := fixtures.Materialize(dir, h)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{"opt/tomcat/bin/version.sh", "opt/tomcat/bin/catalina.sh", "opt/tomcat/bin", "usr/local/bin/php",
				"opt/evil/nginx", "opt/app/jdk/bin/java", "home/dev/node-v18/bin/node"} {
				if err := os.Lchown(filepath.Join(dir, p), nobody, nobody); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Chmod(filepath.Join(dir, "opt/node/bin"), 0o775); err != nil {
				t.Fatal(err)
			}
			// The link names its target inside the tree, as /opt/evil/nginx
			// would be on the host.
			if err := os.Symlink(filepath.Join(dir, "opt/evil/nginx"), filepath.Join(dir, "usr/local/bin/nginx")); err != nil {
				t.Fatal(err)
			}
			env = append(env, "UPKEEP_SECRET=1", "LD_LIBRARY_PATH=/nonexistent")
			out := runWithEnv(t, sh, dir, env)
			r, err := inventory.Parse(out)
			if err != nil {
				t.Fatalf("Parse: %v\n%.3000s", err, out)
			}
			if ran, _ := os.ReadDir(marks); len(ran) > 0 {
				var names []string
				for _, e := range ran {
					names = append(names, e.Name())
				}
				t.Errorf("collector ran programs it must not: %v", names)
			}
			got := map[string]string{}
			for _, p := range r.Probes {
				got[p.Path] = p.Output
			}
			want := map[string]string{
				"/usr/sbin/httpd":                     "Server version: Apache/2.4.57 (Unix)",
				"/opt/valkey/bin/valkey-server":       "Valkey server v=7.2.5 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1",
				"/opt/app/jdk/bin/java":               `release file: version "17.0.9", IMPLEMENTOR="Eclipse Adoptium"`,
				"/usr/lib/jvm/jdk-21-oracle/bin/java": `java version "21.0.5" 2024-10-15 LTS (release file: IMPLEMENTOR="Oracle Corporation")`,
				"/opt/tomcat10/bin/version.sh":        "Apache Tomcat Version 10.1.34",
				"/home/dev/node-v18/bin/node":         "", // not looked for: outside the searched places
				"/usr/bin/php":                        "PHP 8.2.27 (cli) args=-n -v env=0 tmp=unset pwd=/",
				"/usr/lib/jvm/jre-17/bin/java":        `openjdk version "17.0.13" args=-XX:-UsePerfData -version`,
				"/usr/local/lib/node/bin/nodejs":      "",
				"/usr/local/bin/redis-server-note":    "",
			}
			for path, w := range want {
				if g, ok := got[path]; w == "" && ok || w != "" && g != w {
					t.Errorf("probe %s: got %q (reported %v), want %q", path, g, ok, w)
				}
			}
			for _, p := range r.Probes {
				if p.Path == "/opt/app/jdk/bin/java" && p.Version != "17.0.9" || p.Path == "/opt/valkey/bin/valkey-server" && (p.Name != "valkey-server" || p.Version != "7.2.5") {
					t.Errorf("probe %+v", p)
				}
			}
			for _, skipped := range []string{"/opt/tomcat/bin/version.sh", "/opt/node/bin/node", "/usr/local/bin/php", "/opt/evil/nginx"} {
				if !slices.ContainsFunc(r.Warnings, func(w string) bool {
					return strings.HasPrefix(w, "probe "+skipped+" skipped: not run as root")
				}) {
					t.Errorf("no warning that %s was skipped: %q", skipped, r.Warnings)
				}
			}
		})
	}
}

// runWithEnv runs the collector on a materialized tree with env, checking
// that it changed nothing in the tree and wrote nothing in TMPDIR.
func runWithEnv(t *testing.T, sh shell, dir string, env []string) []byte {
	t.Helper()
	before := snapshot(t, dir)
	tmp := t.TempDir()
	out, stderr, err := runScript(sh, append(env, "TMPDIR="+tmp))
	if err != nil {
		t.Fatalf("collector under %s: %v\n%s", sh.name, err, stderr)
	}
	if after := snapshot(t, dir); !mapsEqual(before, after) {
		t.Errorf("collector changed the host tree")
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("collector wrote %d entries into TMPDIR", len(entries))
	}
	return out
}

// supportInfoXML is a support_info.xml in the shape dnf-plugin-support-info
// 1.x ships it (github.com/amazonlinux/dnf-plugin-support-info,
// support_info.xml, 2024-01-17): statements with a marker and an end date,
// each listing its packages. Dates as that file gives them.
const supportInfoXML = `<?xml version="1.0" ?>
<package_support current_as="2024-01-17T17:56:42.030924">
  <statements>
    <statement end_date="2028-03-15" id="eol_kernel" marker="supported" start_date="2023-03-15">
      <summary>Amazon Linux 2023 kernel</summary>
      <packages>
        <package name="kernel" note="eol_kernel"/>
      </packages>
    </statement>
    <statement end_date="2024-11-25" id="eol_php8.1" marker="supported" start_date="2023-03-15">
      <summary>PHP 8.1 has security support until November 2024</summary>
      <packages>
        <package name="php8.1" note="eol_php8.1"/>
        <package name="openssl" note="eol_php8.1"/>
      </packages>
    </statement>
    <statement end_date="someday" id="eol" marker="supported" start_date="2023-03-15">
      <packages>
        <package name="bash"/>
        <package name="not-installed-here"/>
      </packages>
    </statement>
  </statements>
</package_support>
`

// TestCollectorFormat2Data: rpm module labels (and rpm too old to know the
// tag), dpkg archive components from apt's indexes matched on the exact
// version, and vendor support statements for installed packages.
func TestCollectorFormat2Data(t *testing.T) {
	sh := shells(t)[0]
	t.Run("rpm modules", func(t *testing.T) {
		for _, fixture := range []string{"rockylinux-9-container", "amazonlinux-2-container"} {
			h := fixtures.Host{Fixture: fixture, Modules: map[string]string{"bash": "bash:5:9040020240101:abcdef12"}}
			out, _ := runOn(t, sh, h)
			r, err := inventory.Parse(out)
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			if fixture == "rockylinux-9-container" {
				want = "bash:5:9040020240101:abcdef12" // AL2's rpm 4.11 cannot tell
			}
			n := 0
			for _, p := range r.Packages {
				if p.Name == "bash" && p.Module != want || p.Name != "bash" && p.Module != "" {
					t.Errorf("%s: %+v, want module %q", fixture, p, want)
				}
				n++
			}
			if list, _ := fixtures.Packages(fixture); n != len(list) || len(r.Warnings) != 0 {
				t.Errorf("%s: %d packages of %d, warnings %q", fixture, n, len(list), r.Warnings)
			}
		}
	})
	t.Run("dpkg components", func(t *testing.T) {
		h := fixtures.Host{Fixture: "debian-12-app", Components: map[string]string{"bash": "main", "nginx": "contrib", "openssl": ""}}
		out, _ := runOn(t, sh, h)
		r, err := inventory.Parse(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range r.Packages {
			// openssl is indexed only at another version: unknown, not "contrib".
			if want := h.Components[p.Name]; p.Component != want {
				t.Errorf("%s %s: component %q, want %q", p.Name, p.Version, p.Component, want)
			}
		}
	})
	t.Run("support statements", func(t *testing.T) {
		h := fixtures.Host{Fixture: "amazonlinux-2023-ami", SupportInfo: supportInfoXML}
		out, _ := runOn(t, sh, h)
		r, err := inventory.Parse(out)
		if err != nil {
			t.Fatal(err)
		}
		const src = "dnf supportinfo (support_info.xml)"
		want := []inventory.SupportStatement{
			{Package: "bash", Level: "supported", Source: src}, // a date that is not one is dropped
			{Package: "kernel", Level: "supported", Ends: "2028-03-15", Source: src},
			{Package: "openssl", Level: "supported", Ends: "2024-11-25", Source: src},
		}
		if !slices.Equal(r.Support, want) {
			t.Errorf("support:\n got %+v\nwant %+v", r.Support, want)
		}
	})
}

// TestCollectorReadOnlyTmp runs the collector with /tmp mounted read-only
// (in a mount namespace of its own; skipped where that is not allowed): it
// must not need to write there, so it works as on a hardened host.
func TestCollectorReadOnlyTmp(t *testing.T) {
	unshare, err1 := exec.LookPath("unshare")
	mount, err2 := exec.LookPath("mount")
	if os.Geteuid() != 0 || err1 != nil || err2 != nil {
		t.Skip("needs root, unshare and mount")
	}
	if err := exec.Command(unshare, "-m", mount, "--bind", "/tmp", "/tmp").Run(); err != nil {
		t.Skipf("no mount namespace here: %v", err)
	}
	for _, sh := range shells(t) {
		t.Run(sh.name, func(t *testing.T) {
			h := middlewareHost("debian-12-ci")
			dir := t.TempDir()
			env, err := fixtures.Materialize(dir, h)
			if err != nil {
				t.Fatal(err)
			}
			shPath, err := exec.LookPath(sh.argv[0])
			if err != nil {
				t.Fatal(err)
			}
			// The tree lives under /tmp too: read-only as well, which a
			// read-only collector does not mind.
			args := append([]string{"-m", "/bin/sh", "-c",
				`"$MOUNT" --bind /tmp /tmp && "$MOUNT" -o remount,bind,ro /tmp && exec "$@"`, "sh", shPath},
				append(sh.argv[1:], "-c", string(inventory.Script()))...)
			cmd := exec.Command(unshare, args...)
			cmd.Env = append(env, "TMPDIR=/tmp", "MOUNT="+mount)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("collector with a read-only /tmp: %v\n%s", err, stderr.String())
			}
			r, err := inventory.Parse(out)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(r.Probes) != 4 || len(r.Packages) == 0 || stderr.Len() > 0 {
				t.Errorf("with a read-only /tmp: %d probes, %d packages, stderr %q", len(r.Probes), len(r.Packages), stderr.String())
			}
		})
	}
}

// TestCollectorSecurityListings: on a Debian host with debian-security-support,
// every installed package whose source package the release's ended list or
// the limited list names is a Y record, matched the way check-support-status
// matches (full match on the source name, .* as wildcard, first line wins);
// removed packages, other releases' lists and Ubuntu's copy of the lists are
// not. The lists are real (testdata/debian-security-support/README.md).
func TestCollectorSecurityListings(t *testing.T) {
	host := func(debianVersion string) fixtures.Host { return listingsHost(t, debianVersion) }
	const (
		binutils = "Only suitable for trusted content; see https://lists.debian.org/msgid-search/87lfqsomtg.fsf@mid.deneb.enyo.de"
		golang   = "See https://www.debian.org/releases/bookworm/amd64/release-notes/ch-information.en.html#golang-static-linking"
		soup     = "Only supported as a client, not as a server: see https://gitlab.gnome.org/GNOME/libsoup/-/commit/2a9d8ecc45bb814f6a81b1241e6c0c55d632aa28"
	)
	lim := func(pkg, src, note string) inventory.SecurityListing {
		return inventory.SecurityListing{Package: pkg, Source: src, List: "security-support-limited", Kind: inventory.ListingLimited, Note: note}
	}
	want := []inventory.SecurityListing{
		lim("binutils", "binutils", binutils),
		lim("binutils-common", "binutils", binutils),
		lim("binutils-x86-64-linux-gnu", "binutils", binutils),
		lim("golang-1.19-go", "golang-1.19", golang),
		lim("libbinutils", "binutils", binutils),
		lim("libctf-nobfd0", "binutils", binutils),
		lim("libctf0", "binutils", binutils),
		{Package: "libmbedtls14", Source: "mbedtls", List: "security-support-ended.deb12", Kind: inventory.ListingEnded,
			Version: "2.16.9-0.1+deb11u4", Ends: "2026-06-12", Note: "Crypto library difficult to support in the long term; see: https://bugs.debian.org/1138294"},
		lim("libsoup2.4-1", "libsoup2.4", soup),
	}
	for _, sh := range shells(t) {
		out, _ := runOn(t, sh, host("12.8\n"))
		r, err := inventory.Parse(out)
		if err != nil {
			t.Fatalf("%s: %v", sh.name, err)
		}
		if r.Format != 3 || !slices.Equal(r.Listings, want) || len(r.Warnings) != 0 {
			t.Errorf("%s: format %d, warnings %q, listings:\n got %+v\nwant %+v", sh.name, r.Format, r.Warnings, r.Listings, want)
		}
	}
	sh := shells(t)[0]
	for _, v := range []string{"trixie/sid\n", ""} {
		out, _ := runOn(t, sh, host(v))
		r, err := inventory.Parse(out)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Listings) != 0 {
			t.Errorf("debian_version %q: listings %+v, want none (not a Debian release)", v, r.Listings)
		}
	}
}

// listingsHost is debian-12-ci with the real debian-security-support lists
// and a few packages they name, among them a removed one; debianVersion is
// what /etc/debian_version says.
func listingsHost(t *testing.T, debianVersion string) fixtures.Host {
	files := map[string]string{"/etc/debian_version": debianVersion}
	for _, name := range []string{"security-support-ended.deb12", "security-support-limited"} {
		b, err := os.ReadFile(filepath.Join("testdata", "debian-security-support", name))
		if err != nil {
			t.Fatal(err)
		}
		files["/usr/share/debian-security-support/"+name] = string(b)
	}
	// An older release's list is on every host too; it must not be read.
	files["/usr/share/debian-security-support/security-support-ended.deb11"] = "binutils 2.35.2-2 2020-01-01 not this release\n"
	return fixtures.Host{Fixture: "debian-12-ci", Files: files,
		Add: []inventory.Package{
			{Name: "golang-1.19-go", Version: "1.19.8-2", Arch: "amd64"},
			{Name: "libmbedtls14", Version: "2.28.3-1", Arch: "amd64"},
			{Name: "pdns-recursor", Version: "4.8.8-1+deb12u1", Arch: "amd64", Status: "rc"},
			{Name: "libsoup2.4-1", Version: "2.74.3-1+deb12u1", Arch: "amd64"},
		},
		Sources: map[string]string{"binutils-common": "binutils", "binutils-x86-64-linux-gnu": "binutils", "libbinutils": "binutils",
			"libctf-nobfd0": "binutils", "libctf0": "binutils", "golang-1.19-go": "golang-1.19", "libmbedtls14": "mbedtls",
			"libsoup2.4-1": "libsoup2.4"},
	}
}
