//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"upkeep/internal/output"
)

// openPTY opens a pseudo-terminal of cols columns: the controller and the
// terminal side a child writes to.
func openPTY(t *testing.T, cols uint16) (ptm, pts *os.File) {
	t.Helper()
	ptm, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	fd := int(ptm.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pty number: %v", err)
	}
	pts, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open pty: %v", err)
	}
	if err := unix.IoctlSetWinsize(int(pts.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 40, Col: cols}); err != nil {
		t.Fatalf("pty size: %v", err)
	}
	return ptm, pts
}

// runOnPTY runs the upkeep binary (the test binary, as testscript links
// it) with stdout on a real pseudo-terminal and returns what it printed.
func runOnPTY(t *testing.T, dir string, cols uint16, env []string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("upkeep")
	if err != nil {
		t.Skipf("upkeep command not linked: %v", err)
	}
	ptm, pts := openPTY(t, cols)
	defer ptm.Close()
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"XDG_DATA_HOME=" + dir, "HOME=" + dir, "PATH=" + os.Getenv("PATH")}, env...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = pts, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pts.Close()
	var out bytes.Buffer
	_, err = io.Copy(&out, ptm)
	var pe *os.PathError
	if err != nil && !(errors.As(err, &pe) && errors.Is(pe.Err, syscall.EIO)) { // EIO: the child closed the terminal
		t.Fatalf("read pty: %v", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, stderr.String())
	}
	return strings.ReplaceAll(out.String(), "\r\n", "\n") // the terminal's ONLCR
}

// On a real terminal, verdicts are coloured and the table fits the
// terminal's width; NO_COLOR turns colour off and changes nothing else.
func TestColorOnRealTerminal(t *testing.T) {
	dir := loadDemo(t)
	args := []string{"--demo", "check", "--at", "2026-11-24"}
	colored := runOnPTY(t, dir, 120, nil, args...)
	if !strings.Contains(colored, "\x1b[31m") {
		t.Errorf("no colour on a terminal:\n%q", colored[:min(400, len(colored))])
	}
	plain := runOnPTY(t, dir, 120, []string{"NO_COLOR=1"}, args...)
	if strings.Contains(plain, "\x1b") {
		t.Errorf("NO_COLOR: escapes on a terminal")
	}
	if stripEscapes(colored) != plain {
		t.Error("colour changed more than the escapes")
	}
	for _, l := range strings.Split(plain, "\n") {
		if output.Width(l) > 120 {
			t.Errorf("a line of %d on a 120-column terminal: %q", output.Width(l), l)
		}
	}
}
