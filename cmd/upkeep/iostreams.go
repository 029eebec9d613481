package main

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"

	"upkeep/internal/output"
)

// ioStreams carries the three standard streams and whether each is a terminal.
// Report data goes to out only; progress, warnings and hints to errOut. Only
// colour, progress and the fitting of tables to the terminal's width may
// depend on the terminal; a pipe gets full rows and no escapes.
type ioStreams struct {
	in       io.Reader
	out      io.Writer
	errOut   io.Writer // messages: host-set text in them is shown escaped (output.NewTerminalWriter)
	errBar   io.Writer // the raw stderr, for progress bars only: they rewrite their line with \r
	outTTY   bool
	errTTY   bool
	termCols int // the width of stdout's terminal (when outTTY)

	color bool // colour on stdout: --color, NO_COLOR and outTTY decide (setColor)
}

func newSystemIO() *ioStreams {
	s := &ioStreams{in: os.Stdin, out: os.Stdout, errOut: output.NewTerminalWriter(os.Stderr), errBar: os.Stderr, termCols: 100}
	s.outTTY = term.IsTerminal(int(os.Stdout.Fd()))
	s.errTTY = term.IsTerminal(int(os.Stderr.Fd()))
	if s.outTTY {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
			s.termCols = w
		}
	}
	return s
}

// testIO returns streams backed by buffers, as a pipe would be.
func testIO(stdin string) (*ioStreams, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &ioStreams{in: bytes.NewBufferString(stdin), out: out, errOut: output.NewTerminalWriter(errOut), errBar: errOut, termCols: 100}, out, errOut
}

// setColor decides colour for --color mode (never, auto, always): auto
// colours a terminal unless NO_COLOR is set (https://no-color.org) or
// TERM is dumb.
func (s *ioStreams) setColor(mode string, getenv func(string) string) {
	switch mode {
	case "always":
		s.color = true
	case "never":
		s.color = false
	default:
		s.color = s.outTTY && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
	}
}
