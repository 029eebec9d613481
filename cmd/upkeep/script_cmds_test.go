package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// scriptCmds are the custom commands every CLI script may use.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"exit-code": cmdExitCode,
	"demo-data": cmdDemoData,
}

// cmdDemoData puts the demo database `upkeep demo --no-local` leaves into
// the script's data folder, without running a race-built process to load
// it again (demo_template_test.go). Scripts about other commands start
// from it; demo.txtar runs the real `upkeep demo`.
func cmdDemoData(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: demo-data")
	}
	src, err := demoTemplate("now", time.Now)
	if err != nil {
		ts.Fatalf("demo-data: %v", err)
	}
	if err := copyTree(src, ts.Getenv("XDG_DATA_HOME")); err != nil {
		ts.Fatalf("demo-data: %v", err)
	}
}

// cmdExitCode runs a program and asserts its exact exit status:
//
//	exit-code 3 upkeep scan --import a.out,junk.out
//
// `! exec` only says "not zero", and upkeep's exit codes mean different
// things (exit.go): a usage mistake (2) must not pass for a partial scan (3).
// stdout and stderr are kept for the assertions that follow, as after exec.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: exit-code N program [args...] (no '!': N is the status)")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exit-code N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil || want < 0 || want > 255 {
		ts.Fatalf("exit-code: %q is not an exit status", args[0])
	}
	got := 0
	err = ts.Exec(args[1], args[2:]...)
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		got = exit.ExitCode()
	default:
		ts.Fatalf("exit-code: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// bareNegatedExec finds `! exec upkeep` lines: each must say which exit
// code it expects (exit-code N).
var bareNegatedExec = regexp.MustCompile(`(?m)^\s*!\s*exec\s+upkeep\b`)

// TestScriptsAssertExitCodes keeps every CLI script honest about exit codes.
func TestScriptsAssertExitCodes(t *testing.T) {
	files, err := filepath.Glob("testdata/script/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("testdata/script/*/*.txtar")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no scripts found")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, loc := range bareNegatedExec.FindAllIndex(b, -1) {
			line := 1 + strings.Count(string(b[:loc[0]]), "\n")
			t.Errorf("%s:%d: `! exec upkeep` only asserts a non-zero exit: use `exit-code N upkeep ...`", f, line)
		}
	}
}
