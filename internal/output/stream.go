package output

import "io"

// NewTerminalWriter returns a writer that passes text to w with what
// Terminal escapes shown as escapes, line breaks kept: for a stream of
// messages (stderr), where a warning, a note or an error may quote a host's
// name, a file name or a collector's words, and nothing is meant to act on
// the terminal. Tables and colour do not go through it; progress bars,
// which rewrite their line with a carriage return, write to the stream
// itself.
//
// Each Write is sanitised on its own: a message written in one call (as
// fmt.Fprintf does) is escaped exactly as TerminalLines would; a UTF-8
// sequence split across two calls shows as escaped bytes, never raw.
func NewTerminalWriter(w io.Writer) io.Writer { return &terminalWriter{w: w} }

type terminalWriter struct{ w io.Writer }

func (t *terminalWriter) Write(p []byte) (int, error) {
	s := string(p)
	if clean := TerminalLines(s); clean != s {
		if _, err := io.WriteString(t.w, clean); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return t.w.Write(p)
}

// Printable reports whether s prints as itself: Terminal(s) == s. A value
// that does not (a host name with an escape in it) cannot be offered as
// something to type, such as a shell completion.
func Printable(s string) bool { return isSafeText(s) }
