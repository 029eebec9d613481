package inventory_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"upkeep/internal/fixtures"
	"upkeep/inventory"
)

// shell is one sh the collector must run under; argv runs a script file.
type shell struct {
	name string
	argv []string
}

// shells returns the shells found here. The collector targets dash (Debian,
// Ubuntu), bash (Amazon Linux, RHEL) and busybox sh (minimal images); CI
// installs dash and busybox, a developer machine may lack one.
func shells(t *testing.T) []shell {
	var found []shell
	for _, s := range []shell{{"dash", []string{"dash"}}, {"busybox", []string{"busybox", "sh"}}, {"bash", []string{"bash", "--posix"}}} {
		if _, err := exec.LookPath(s.argv[0]); err != nil {
			t.Logf("%s not installed: not tested under it", s.name)
			continue
		}
		found = append(found, s)
	}
	if len(found) == 0 {
		t.Skip("none of dash, busybox, bash is installed")
	}
	return found
}

func TestScriptSyntax(t *testing.T) {
	script := inventory.Script()
	if !bytes.HasPrefix(script, []byte("#!/bin/sh\n")) {
		t.Errorf("script starts with %q", script[:min(20, len(script))])
	}
	for _, sh := range shells(t) {
		cmd := exec.Command(sh.argv[0], append(sh.argv[1:], "-n")...)
		cmd.Stdin = bytes.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", sh.name, err, out)
		}
	}
}

// runOn materializes h and runs the real collector on it under sh.
func runOn(t *testing.T, sh shell, h fixtures.Host) ([]byte, string) {
	t.Helper()
	dir := t.TempDir()
	env, err := fixtures.Materialize(dir, h)
	if err != nil {
		t.Fatalf("Materialize: %v", err)
	}
	// Read-only: the host tree and the temporary folder stay as they were.
	return runWithEnv(t, sh, dir, env), dir
}

// runScript runs the collector under sh with exactly env.
func runScript(sh shell, env []string) (stdout []byte, stderr string, err error) {
	cmd := exec.Command(sh.argv[0], append(sh.argv[1:], "-c", string(inventory.Script()))...)
	cmd.Env = env
	var e bytes.Buffer
	cmd.Stderr = &e
	out, err := cmd.Output()
	return out, e.String(), err
}

func mapsEqual(a, b map[string]string) bool { return maps.Equal(a, b) }

// snapshot maps every path under dir to its size and modification time.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		m[p] = fmt.Sprintf("%d %s", info.Size(), info.ModTime())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// multiset counts packages, so lists compare whatever their order.
func multiset(pkgs []inventory.Package) map[inventory.Package]int {
	m := map[inventory.Package]int{}
	for _, p := range pkgs {
		m[p]++
	}
	return m
}

// osValue reads one key of an os-release file, quotes removed.
func osValue(osRelease []byte, key string) string {
	for _, l := range strings.Split(string(osRelease), "\n") {
		if v, ok := strings.CutPrefix(l, key+"="); ok {
			return strings.Trim(v, `"'`)
		}
	}
	return ""
}

// middlewareHost is a fixture host with a hand-built nginx, a packaged
// httpd, a Tomcat and a few sockets and services.
func middlewareHost(fixture string) fixtures.Host {
	return fixtures.Host{
		Fixture:  fixture,
		Hostname: "ip-10-0-1-23." + fixture,
		Probes: []fixtures.Probe{
			{Path: "/usr/local/nginx/sbin/nginx", Output: "nginx version: nginx/1.10.3", Stderr: true},
			{Path: "/usr/sbin/httpd", Output: "Server version: Apache/2.4.57 (Unix)\nServer built:   Apr  6 2023", Owner: "httpd"},
			{Path: "/opt/tomcat/bin/version.sh", Output: "Using CATALINA_BASE:   /opt/tomcat\nServer version: Apache Tomcat/9.0.85\nServer number:  9.0.85.0\nOS Name:        Linux"},
			{Path: "/opt/jdk1.8.0_402/bin/java", Output: `openjdk version "1.8.0_402"` + "\nOpenJDK Runtime Environment", Stderr: true},
			// A pyenv shim of a Python that is not installed: not middleware.
			{Path: "/usr/local/bin/python3.10", Output: "pyenv: python3.10: command not found", Stderr: true, Exit: 127},
		},
		Services: []string{"httpd.service", "nginx.service", "sshd.service"},
		Listeners: []inventory.Listener{
			{Proto: "tcp", Addr: "0.0.0.0", Port: 443, Process: "nginx", Exe: "/usr/local/nginx/sbin/nginx"},
			// Upgraded on disk since it started: the kernel says so.
			{Proto: "tcp", Addr: "127.0.0.1", Port: 8005, Process: "java", Exe: "/opt/jdk1.8.0_402/bin/java (deleted)"},
			{Proto: "tcp6", Addr: "::", Port: 22, Process: "sshd", Exe: "/usr/sbin/sshd", Owner: "openssh-server"},
		},
	}
}

func TestCollectorOnFixtures(t *testing.T) {
	for _, sh := range shells(t) {
		for _, name := range fixtures.Names() {
			t.Run(sh.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				h := middlewareHost(name)
				out, _ := runOn(t, sh, h)
				r, err := inventory.Parse(out)
				if err != nil {
					t.Fatalf("Parse: %v\n%.2000s", err, out)
				}
				want, _ := fixtures.Packages(name)
				if got := multiset(r.Packages); !maps.Equal(got, multiset(want)) {
					t.Errorf("packages differ from the fixture list: %d reported, %d listed", len(r.Packages), len(want))
				}
				osr, _ := fixtures.OSRelease(name)
				if r.Facts.OS.ID != osValue(osr, "ID") || r.Facts.OS.VersionID != osValue(osr, "VERSION_ID") || r.Facts.OS.PrettyName != osValue(osr, "PRETTY_NAME") {
					t.Errorf("os-release read as %+v", r.Facts.OS)
				}
				if r.Facts.Hostname != h.Hostname || r.Facts.Kernel == "" || r.Facts.Arch == "" || r.Facts.Uptime != 240*time.Hour || r.Facts.CollectedAt.IsZero() {
					t.Errorf("facts: %+v", r.Facts)
				}
				wantProbes := []inventory.Probe{
					{Name: "httpd", Path: "/usr/sbin/httpd", Owner: "httpd", Output: "Server version: Apache/2.4.57 (Unix)", Version: "2.4.57"},
					{Name: "java", Path: "/opt/jdk1.8.0_402/bin/java", Output: `openjdk version "1.8.0_402"`, Version: "1.8.0_402"},
					{Name: "nginx", Path: "/usr/local/nginx/sbin/nginx", Output: "nginx version: nginx/1.10.3", Version: "1.10.3"},
					{Name: "tomcat", Path: "/opt/tomcat/bin/version.sh", Output: "Server number:  9.0.85.0", Version: "9.0.85.0"},
				}
				if !slices.Equal(r.Probes, wantProbes) {
					t.Errorf("probes:\n got %+v\nwant %+v", r.Probes, wantProbes)
				}

				wantServices := []inventory.Service{{Unit: "httpd.service", State: "running"}, {Unit: "nginx.service", State: "running"}, {Unit: "sshd.service", State: "running"}}
				if !slices.Equal(r.Services, wantServices) {
					t.Errorf("services: %+v", r.Services)
				}
				if !slices.Equal(r.Listeners, sortedListeners(h.Listeners)) {
					t.Errorf("listeners: %+v", r.Listeners)
				}
				// The only warning: the shim that does not run.
				if !slices.Equal(r.Warnings, []string{"probe /usr/local/bin/python3.10 skipped: exit status 127"}) {
					t.Errorf("warnings: %q", r.Warnings)
				}
				// SSM keeps 24,000 characters: a big list must come compressed.
				if compressed := bytes.HasPrefix(out, []byte("#upkeep-gzip 1\n")); compressed != (len(want) > 300) {
					t.Errorf("%d packages, %d bytes of output, compressed=%v", len(want), len(out), compressed)
				}
				if len(out) > 24000 {
					t.Errorf("output of %d bytes would be cut by SSM", len(out))
				}
			})
		}
	}
}

func sortedListeners(ls []inventory.Listener) []inventory.Listener {
	s := slices.Clone(ls)
	slices.SortFunc(s, func(a, b inventory.Listener) int {
		return strings.Compare(fmt.Sprintf("%s %s %05d", a.Proto, a.Addr, a.Port), fmt.Sprintf("%s %s %05d", b.Proto, b.Addr, b.Port))
	})
	return s
}

// TestCollectorFallbacks covers hosts without ss, netstat or systemd, with
// busybox tools, odd dpkg states and values that would break a record.
func TestCollectorFallbacks(t *testing.T) {
	sh := shells(t)[0]
	_, noBusybox := exec.LookPath("busybox")
	for _, tools := range []string{"gnu", "busybox"} {
		t.Run(tools, func(t *testing.T) {
			if tools == "busybox" && noBusybox != nil {
				t.Skip("busybox not installed")
			}
			h := middlewareHost("debian-12-app")
			h.Busybox = tools == "busybox"
			h.NoSS, h.NoSystemd = true, true
			h.Hostname = "web\t1\x01"
			h.Add = []inventory.Package{{Name: "old-removed", Version: "1.0", Arch: "amd64", Status: "rc"}, {Name: "held", Version: "2.0", Arch: "amd64", Status: "hi"}}
			h.Remove = []string{"nginx"}
			h.Probes[1].Owner = "apache2-bin"
			out, _ := runOn(t, sh, h)
			r, err := inventory.Parse(out)
			if err != nil {
				t.Fatalf("Parse: %v\n%.3000s", err, out)
			}
			if r.Facts.Hostname != "web 1 " {
				t.Errorf("hostname %q: control characters not cleaned", r.Facts.Hostname)
			}
			names := map[string]string{}
			for _, p := range r.Packages {
				names[p.Name] = p.Status
			}
			if names["old-removed"] != "rc" || names["held"] != "hi" || names["nginx"] != "" {
				t.Errorf("dpkg states: old-removed=%q, held=%q, nginx=%q; want rc, hi and no nginx", names["old-removed"], names["held"], names["nginx"])
			}
			if r.Probes[0].Owner != "apache2-bin" {
				t.Errorf("dpkg owner: %+v", r.Probes[0])
			}
			if len(r.Services) != 0 {
				t.Errorf("services without systemctl: %+v", r.Services)
			}
			want := sortedListeners(h.Listeners)
			for i := range want {
				// The kernel tables carry no names, so no executables.
				want[i].Process, want[i].Exe, want[i].Owner = "", "", ""
			}
			if !slices.Equal(r.Listeners, want) {
				t.Errorf("listeners from /proc/net:\n got %+v\nwant %+v", r.Listeners, want)
			}
			for _, w := range []string{"systemctl not found", "/proc/net/tcp"} {
				if !slices.ContainsFunc(r.Warnings, func(s string) bool { return strings.Contains(s, w) }) {
					t.Errorf("no warning about %q in %q", w, r.Warnings)
				}
			}
		})
	}
}

// TestCollectorThisMachine scans the machine the test runs on: every
// installed dpkg package with its exact version, the os-release, the kernel,
// and a listener the test opens.
func TestCollectorThisMachine(t *testing.T) {
	if _, err := exec.LookPath("dpkg-query"); err != nil {
		t.Skip("not a dpkg host")
	}
	ln, port := listenLoopback(t)
	defer ln.Close()
	// Bounded by the test binary's -timeout, not a fixed minute: reading
	// this machine's apt indexes took longer than that on a loaded machine.
	deadline, ok := t.Deadline()
	if !ok {
		deadline = time.Now().Add(time.Hour)
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline.Add(-30*time.Second))
	defer cancel()
	out, err := inventory.RunLocal(ctx)
	if err != nil {
		t.Fatalf("RunLocal: %v", err)
	}
	r, err := inventory.Parse(out)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	q, err := exec.Command("dpkg-query", "-W", "-f", `${Package}\t${Version}\t${Architecture}\t${db:Status-Abbrev}\n`).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := map[inventory.Package]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(q)), "\n") {
		f := strings.Split(l, "\t")
		want[inventory.Package{Manager: "dpkg", Name: f[0], Version: f[1], Arch: f[2], Status: strings.TrimRight(f[3], " ")}]++
	}
	got := map[inventory.Package]int{}
	withComponent := 0
	for _, p := range r.Packages {
		if p.Manager == "dpkg" {
			if p.Component != "" {
				withComponent++
			}
			p.Component = "" // checked below: dpkg-query does not know it
			got[p]++
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("dpkg packages: collector %d, dpkg-query %d", len(got), len(want))
	}
	// Where apt has indexes, most installed packages are in one of them (a
	// few come from elsewhere or were since updated in the archive).
	if lists, _ := filepath.Glob("/var/lib/apt/lists/*_Packages*"); len(lists) > 0 && withComponent < len(want)/2 {
		t.Errorf("apt indexes present, but only %d of %d packages have an archive component", withComponent, len(want))
	}
	osr, err := os.ReadFile("/etc/os-release")
	if err == nil && (r.Facts.OS.ID != osValue(osr, "ID") || r.Facts.OS.VersionID != osValue(osr, "VERSION_ID")) {
		t.Errorf("os-release read as %+v", r.Facts.OS)
	}
	if k, err := exec.Command("uname", "-r").Output(); err == nil && r.Facts.Kernel != strings.TrimSpace(string(k)) {
		t.Errorf("kernel %q, uname -r says %q", r.Facts.Kernel, k)
	}
	if !slices.ContainsFunc(r.Listeners, func(l inventory.Listener) bool { return l.Port == port && l.Addr == "127.0.0.1" }) {
		t.Errorf("listener 127.0.0.1:%d not reported; got %+v", port, r.Listeners)
	}
}

// TestCollectorKeepsDpkgStatus: every package dpkg-query -W lists is
// reported with its status, a removed one whose configuration files remain
// (rc) too, so the inventory matches dpkg; judging skips what is not installed.
func TestCollectorKeepsDpkgStatus(t *testing.T) {
	h := fixtures.Host{Fixture: "debian-12-app", Add: []inventory.Package{
		{Name: "apache2", Version: "2.4.62-1~deb12u2", Arch: "amd64", Status: "rc"},
		{Name: "nginx-extras", Version: "1.22.1-9", Arch: "amd64", Status: "iF"},
	}}
	for _, sh := range shells(t) {
		out, _ := runOn(t, sh, h)
		r, err := inventory.Parse(out)
		if err != nil {
			t.Fatalf("%s: Parse: %v", sh.name, err)
		}
		got := map[string]inventory.Package{}
		for _, p := range r.Packages {
			got[p.Name] = p
		}
		if p := got["apache2"]; p.Status != "rc" || p.Version != "2.4.62-1~deb12u2" || p.Installed() {
			t.Errorf("%s: apache2 %+v, want status rc, not installed", sh.name, p)
		}
		if p := got["nginx-extras"]; p.Status != "iF" || !p.Installed() {
			t.Errorf("%s: nginx-extras %+v, want status iF (half-configured: its files are there)", sh.name, p)
		}
		if p := got["nginx"]; p.Status != "ii" || !p.Installed() {
			t.Errorf("%s: nginx %+v, want ii, installed", sh.name, p)
		}
	}
}

// BenchmarkCollector times one collector run under dash on a materialized
// fixture host (the middleware host above; the Debian one has 715 packages
// and apt indexes, the Rocky one 180 rpm packages):
//
//	go test -run '^$' -bench BenchmarkCollector -benchtime 10x ./inventory/
func BenchmarkCollector(b *testing.B) {
	if _, err := exec.LookPath("dash"); err != nil {
		b.Skip("dash not installed")
	}
	for _, name := range []string{"debian-12-ci", "rockylinux-9-container"} {
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			env, err := fixtures.Materialize(dir, middlewareHost(name))
			if err != nil {
				b.Fatal(err)
			}
			script := string(inventory.Script())
			for b.Loop() {
				cmd := exec.Command("dash", "-c", script)
				cmd.Env = env
				if out, err := cmd.Output(); err != nil || len(out) == 0 {
					b.Fatalf("collector: %v", err)
				}
			}
		})
	}
}
