package inventory

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzParse checks that Parse never panics, and that whatever it accepts
// survives a round trip: Encode then Parse gives the same report. The seed
// corpus in testdata/fuzz/FuzzParse holds real collector outputs (plain,
// compressed and cut); run it long with
//
//	go test -fuzz=FuzzParse -fuzztime=5m ./inventory/
func FuzzParse(f *testing.F) {
	r := sampleReport()
	f.Add(encodePlain(f, r))
	f.Add(encodeGzip(f, r))
	f.Add([]byte(frame("H\thostname\tx\n")))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse(data)
		if err != nil {
			if got != nil {
				t.Fatalf("report returned with error %v", err)
			}
			return
		}
		for _, enc := range []func(testing.TB, *Report) []byte{encodePlain, encodeGzip} {
			again, err := Parse(enc(t, got))
			if err != nil {
				t.Fatalf("re-encoded report does not parse: %v", err)
			}
			if !reflect.DeepEqual(again, got) {
				t.Fatalf("round trip differs:\n got %+v\nwant %+v", again, got)
			}
		}
		// Encoding is a function of the report alone.
		if !bytes.Equal(encodePlain(t, got), encodePlain(t, got)) {
			t.Fatal("Encode is not deterministic")
		}
	})
}
