package inventory

// cksumTable builds the CRC-32 table for the polynomial POSIX cksum uses
// (0x04C11DB7), fed most significant bit first. hash/crc32 only offers the
// bit-reflected variants, which give different sums. Building it per call
// costs about 2,000 shifts and keeps the package free of global state.
func cksumTable() *[256]uint32 {
	var t [256]uint32
	for i := range t {
		c := uint32(i) << 24
		for range 8 {
			if c&0x80000000 != 0 {
				c = c<<1 ^ 0x04C11DB7
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return &t
}

// Cksum returns what POSIX cksum prints for data: the CRC and the byte count.
// The collector sums its records with the host's cksum binary, so the parser
// must compute exactly the same value.
func Cksum(data []byte) (crc uint32, n int64) {
	table := cksumTable()
	for _, b := range data {
		crc = crc<<8 ^ table[byte(crc>>24)^b]
	}
	n = int64(len(data))
	// POSIX appends the length, least significant byte first, using as few
	// bytes as the value needs.
	for l := uint64(n); l != 0; l >>= 8 {
		crc = crc<<8 ^ table[byte(crc>>24)^byte(l)]
	}
	return ^crc, n
}
