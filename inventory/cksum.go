package inventory

import (
	"encoding/binary"
	"sync"
)

// cksumPoly is the CRC-32 polynomial POSIX cksum uses, fed most significant
// bit first. hash/crc32 only offers the bit-reflected variants, which give
// different sums.
const cksumPoly = 0x04C11DB7

// cksumTables are the slicing-by-8 tables: t[0] is the classic one-byte
// table, and t[k][i] is the CRC of byte i followed by k zero bytes, so
// eight table lookups advance the CRC by eight bytes at once. Built once,
// on first use, and read-only after: 8 KiB that no caller can change.
var cksumTables = sync.OnceValue(func() *[8][256]uint32 {
	var t [8][256]uint32
	for i := range t[0] {
		c := uint32(i) << 24
		for range 8 {
			if c&0x80000000 != 0 {
				c = c<<1 ^ cksumPoly
			} else {
				c <<= 1
			}
		}
		t[0][i] = c
	}
	for k := 1; k < 8; k++ {
		for i := range t[k] {
			p := t[k-1][i]
			t[k][i] = p<<8 ^ t[0][p>>24]
		}
	}
	return &t
})

// Cksum returns what POSIX cksum prints for data: the CRC and the byte count.
// The collector sums its records with the host's cksum binary, so the parser
// must compute exactly the same value. It reads eight bytes per step (four
// to five times faster than a byte at a time on outputs of 4 KiB and more;
// see BenchmarkCksum) and finishes the tail and the length a byte at a time.
func Cksum(data []byte) (crc uint32, n int64) {
	t := cksumTables()
	n = int64(len(data))
	p := data
	for len(p) >= 8 {
		// Most significant bit first: the first four bytes meet the CRC as a
		// big-endian word and are seven to four bytes from the step's end.
		crc ^= binary.BigEndian.Uint32(p)
		crc = t[7][crc>>24] ^ t[6][byte(crc>>16)] ^ t[5][byte(crc>>8)] ^ t[4][byte(crc)] ^
			t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]]
		p = p[8:]
	}
	for _, b := range p {
		crc = crc<<8 ^ t[0][byte(crc>>24)^b]
	}
	// POSIX appends the length, least significant byte first, using as few
	// bytes as the value needs.
	for l := uint64(n); l != 0; l >>= 8 {
		crc = crc<<8 ^ t[0][byte(crc>>24)^byte(l)]
	}
	return ^crc, n
}
