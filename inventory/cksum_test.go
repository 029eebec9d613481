package inventory

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// TestCksumMatchesBinary checks Cksum against the host's cksum binary, the
// program the collector uses to sum its records.
func TestCksumMatchesBinary(t *testing.T) {
	bin, err := exec.LookPath("cksum")
	if err != nil {
		t.Skip("cksum binary not found; cannot compare")
	}
	big := bytes.Repeat([]byte("R\tbash\t(none)\t4.2.46\t30.amzn2\tx86_64\tAmazon Linux\n"), 5000)
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"one byte", []byte("a")},
		{"line", []byte("H\thostname\tweb-1\n")},
		{"binary", []byte{0, 0xff, 0x80, '\n', 0x7f, 0x01}},
		{"256 bytes", bytes.Repeat([]byte{0xa5}, 256)},
		{"large", big},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin)
			cmd.Stdin = bytes.NewReader(tt.in)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("run cksum: %v", err)
			}
			crc, n := Cksum(tt.in)
			if got, want := fmt.Sprintf("%d %d", crc, n), strings.TrimSpace(string(out)); got != want {
				t.Errorf("Cksum = %s, cksum binary = %s", got, want)
			}
		})
	}
}

// TestCksumKnown pins values printed by GNU coreutils cksum, so the test
// means something where no cksum binary exists.
func TestCksumKnown(t *testing.T) {
	tests := []struct {
		in   string
		crc  uint32
		size int64
	}{
		{"", 4294967295, 0},
		{"a", 1220704766, 1},
		{"hello\n", 3015617425, 6},
	}
	for _, tt := range tests {
		if crc, n := Cksum([]byte(tt.in)); crc != tt.crc || n != tt.size {
			t.Errorf("Cksum(%q) = %d %d, want %d %d", tt.in, crc, n, tt.crc, tt.size)
		}
	}
}
