package output

import (
	"bytes"
	"fmt"
	"testing"
)

func TestTerminalWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewTerminalWriter(&b)
	n, err := fmt.Fprintf(w, "host %s: %s\nnext line\n", "web\x1b]2;x\x07\u009b31m\r\u202e", "ok")
	if err != nil || n != len("host web\x1b]2;x\x07\u009b31m\r\u202e: ok\nnext line\n") {
		t.Fatalf("wrote %d, %v: a writer reports what it was given", n, err)
	}
	if want := "host web\\x1b]2;x\\x07\\u009b31m\\r\\u202e: ok\nnext line\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	b.Reset()
	fmt.Fprint(w, "plain text, é and → pass as they are\n")
	if b.String() != "plain text, é and → pass as they are\n" {
		t.Errorf("clean text changed: %q", b.String())
	}
	for in, want := range map[string]bool{"web-1": true, "é": true, "a\tb": false, "\u202e": false, "\x9b": false, "": true} {
		if Printable(in) != want {
			t.Errorf("Printable(%q) = %v", in, !want)
		}
	}
}
