package inventory

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// cksumBytewise is the plain one-byte-per-step CRC that Cksum replaced,
// kept as its reference and as the benchmark's baseline.
func cksumBytewise(data []byte) (uint32, int64) {
	var table [256]uint32
	for i := range table {
		c := uint32(i) << 24
		for range 8 {
			if c&0x80000000 != 0 {
				c = c<<1 ^ cksumPoly
			} else {
				c <<= 1
			}
		}
		table[i] = c
	}
	var crc uint32
	for _, b := range data {
		crc = crc<<8 ^ table[byte(crc>>24)^b]
	}
	n := int64(len(data))
	for l := uint64(n); l != 0; l >>= 8 {
		crc = crc<<8 ^ table[byte(crc>>24)^byte(l)]
	}
	return ^crc, n
}

// randomLengths covers every tail length around the 8-byte steps, the
// length bytes' boundaries (255/256, 65535/65536) and sizes of real outputs.
func randomLengths() []int {
	var ls []int
	for l := range 70 {
		ls = append(ls, l)
	}
	return append(ls, 127, 128, 129, 255, 256, 257, 1000, 4095, 4096, 4097, 65535, 65536, 65537, 200_003, 1<<20+5)
}

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// TestCksumMatchesBytewise compares the sliced CRC with the bytewise one on
// random data of many lengths, at every start offset within a word.
func TestCksumMatchesBytewise(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, l := range randomLengths() {
		buf := randomBytes(r, l+8)
		for off := range 8 {
			in := buf[off : off+l]
			gotCRC, gotN := Cksum(in)
			wantCRC, wantN := cksumBytewise(in)
			if gotCRC != wantCRC || gotN != wantN {
				t.Fatalf("length %d offset %d: Cksum = %d %d, bytewise = %d %d", l, off, gotCRC, gotN, wantCRC, wantN)
			}
		}
	}
}

// TestCksumMatchesBinaryRandom compares with the host's cksum binary on
// random data of many lengths.
func TestCksumMatchesBinaryRandom(t *testing.T) {
	bin, err := exec.LookPath("cksum")
	if err != nil {
		t.Skip("cksum binary not found; cannot compare")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, l := range randomLengths() {
		in := randomBytes(r, l)
		cmd := exec.Command(bin)
		cmd.Stdin = bytes.NewReader(in)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("run cksum: %v", err)
		}
		crc, n := Cksum(in)
		if got, want := fmt.Sprintf("%d %d", crc, n), strings.TrimSpace(string(out)); got != want {
			t.Errorf("length %d: Cksum = %s, cksum binary = %s", l, got, want)
		}
	}
}

// BenchmarkCksum compares the sliced CRC with the bytewise one at the size
// of a small record, a small host's output and a large one's.
func BenchmarkCksum(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, size := range []int{64, 4 << 10, 64 << 10, 256 << 10} {
		data := randomBytes(r, size)
		for _, impl := range []struct {
			name string
			fn   func([]byte) (uint32, int64)
		}{{"bytewise", cksumBytewise}, {"slicing8", Cksum}} {
			b.Run(impl.name+"/"+strconv.Itoa(size), func(b *testing.B) {
				b.SetBytes(int64(size))
				for b.Loop() {
					impl.fn(data)
				}
			})
		}
	}
}

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
