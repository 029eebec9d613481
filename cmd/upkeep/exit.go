package main

import (
	"errors"
	"fmt"
	"io"

	"upkeep/internal/output"
)

// Exit codes, documented in `upkeep --help` and the README. Only main exits.
const (
	exitOK      = 0 // everything asked for was done; no --fail-on match
	exitFailure = 1 // a fatal error, nothing scanned, or a --fail-on match
	exitUsage   = 2 // bad flags or arguments, or unreadable data files
	exitPartial = 3 // a scan finished but some targeted hosts were not scanned
	// exitInterrupted is the shells' 128+SIGINT: a script can tell Ctrl-C
	// (or SIGTERM) from a failure, and knows to resume.
	exitInterrupted = 130
)

const exitCodesHelp = `Exit codes:
  0  success
  1  failure: a fatal error, a scan that reached no host, or a --fail-on match
  2  usage: bad flags or arguments, or data that cannot be read
  3  partial: a scan finished but some Linux hosts targeted were not scanned
     (hosts that are not Linux, such as Windows, are counted apart and do not
     make a scan partial)
  130  interrupted (Ctrl-C or SIGTERM): what was stored is kept; an SSM scan
     can be finished with 'upkeep scan --resume ID'`

// exitError carries an exit code and, optionally, a message already shown.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// usageErrorf reports a mistake in how the command was called.
func usageErrorf(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// errSilent returns an error that sets the exit code without printing anything:
// the command has already written its report and its own summary.
func errSilent(code int) error { return &exitError{code: code} }

// exitCode maps an error returned by a command to the process exit code and
// prints it to stderr when it has something to say.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "upkeep:", output.TerminalLines(ee.err.Error()))
		}
		return ee.code
	}
	// Errors quote what hosts and files said: no raw control characters.
	fmt.Fprintln(stderr, "upkeep:", output.TerminalLines(err.Error()))
	return exitFailure
}
