package store

import (
	"database/sql"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"upkeep/inventory"
)

// decoder turns the JSON columns of details rows into a report's lists for
// one read of a scan. Hosts baked from one image store the same probe,
// service and listener lists under different host names (a synthetic
// 100,000-host fleet has fewer than a dozen distinct texts per column), and
// decoding JSON was a fifth of what judging such a scan cost: each distinct
// text is decoded once and every host gets its own copy of the result.
type decoder struct {
	intern func(string) string

	probes    listMemo[inventory.Probe]
	services  listMemo[inventory.Service]
	listeners listMemo[inventory.Listener]
	support   listMemo[inventory.SupportStatement]
	warnings  listMemo[string]
	listings  listMemo[inventory.SecurityListing]
	memoBytes int // text held by the memos, bounded by maxMemoBytes
}

// maxMemoBytes bounds the column text the memos keep: past it, new texts
// are decoded each time (hosts that all differ gain nothing from a memo).
const maxMemoBytes = 4 << 20

func newDecoder(intern func(string) string) *decoder {
	return &decoder{intern: intern}
}

// listMemo maps a column's text to its decoded list.
type listMemo[T any] map[string][]T

// list decodes col (a JSON array of J) into *dst, converting each element
// with conv. An empty or NULL column leaves *dst nil. The result is a fresh
// slice: a caller may keep or change it without touching another host's.
func list[T, J any](dec *decoder, memo *listMemo[T], col sql.NullString, dst *[]T, conv func(J) T) error {
	if !col.Valid || col.String == "" {
		return nil
	}
	if v, ok := (*memo)[col.String]; ok {
		*dst = cloneList(v)
		return nil
	}
	var raw []J
	if err := json.Unmarshal([]byte(col.String), &raw); err != nil {
		return err
	}
	var out []T
	for _, j := range raw {
		out = append(out, conv(j))
	}
	if dec.memoBytes+len(col.String) <= maxMemoBytes {
		if *memo == nil {
			*memo = listMemo[T]{}
		}
		(*memo)[col.String] = out
		dec.memoBytes += len(col.String)
		out = cloneList(out)
	}
	*dst = out
	return nil
}

// cloneList copies a list, nil when empty, as decoding one fresh gives.
func cloneList[T any](v []T) []T {
	if len(v) == 0 {
		return nil
	}
	return append([]T(nil), v...)
}

func (dec *decoder) probe(p probeJSON) inventory.Probe {
	i := dec.intern
	return inventory.Probe{Name: i(p.Name), Path: i(p.Path), Owner: i(p.Owner), Output: i(p.Output), Version: i(p.Version)}
}

func (dec *decoder) service(s serviceJSON) inventory.Service {
	return inventory.Service{Unit: dec.intern(s.Unit), State: dec.intern(s.State)}
}

func (dec *decoder) listener(l listenerJSON) inventory.Listener {
	i := dec.intern
	return inventory.Listener{Proto: i(l.Proto), Addr: i(l.Addr), Port: l.Port, Process: i(l.Process), Exe: i(l.Exe), Owner: i(l.Owner)}
}

func (dec *decoder) supportStatement(s supportJSON) inventory.SupportStatement {
	return inventory.SupportStatement{Package: dec.intern(s.Package), Level: dec.intern(s.Level), Ends: s.Ends, Source: dec.intern(s.Source)}
}

func (dec *decoder) listing(l listingJSON) inventory.SecurityListing {
	i := dec.intern
	return inventory.SecurityListing{Package: i(l.Package), Source: i(l.Source), List: i(l.List), Kind: i(l.Kind), Version: i(l.Version),
		Ends: i(l.Ends), Note: i(l.Note)}
}

// tags decodes a tags column (a JSON object of strings) into m, as
// json.Unmarshal into m does: NULL or "" leaves m as it is. Tags differ per
// host (Name), so they are not memoized; the object json.Marshal wrote for
// a map of plain strings is read without reflection instead, and anything
// else (an escape, a space, a control character, invalid UTF-8) by
// encoding/json.
func (dec *decoder) tags(col sql.NullString, m map[string]string) (map[string]string, error) {
	if !col.Valid || col.String == "" {
		return m, nil
	}
	if out, ok := flatObject(col.String, m, dec.intern); ok {
		return out, nil
	}
	if err := json.Unmarshal([]byte(col.String), &m); err != nil {
		return m, err
	}
	return m, nil
}

// flatObject reads {"k":"v",...} with no escape, no whitespace and no byte
// below 0x20, and valid UTF-8: exactly what json.Marshal writes for such a
// map, where every string is its bytes between quotes. ok is false, and m
// untouched, for any other text.
func flatObject(s string, m map[string]string, intern func(string) string) (_ map[string]string, ok bool) {
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' || strings.IndexByte(s, '\\') >= 0 || !utf8.ValidString(s) {
		return m, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 {
			return m, false
		}
	}
	type kv struct{ k, v string }
	var pairs []kv
	rest := s[1 : len(s)-1]
	str := func() (string, bool) {
		if len(rest) == 0 || rest[0] != '"' {
			return "", false
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return "", false
		}
		v := rest[1 : 1+end]
		rest = rest[end+2:]
		return v, true
	}
	for len(rest) > 0 {
		k, ok := str()
		if !ok || len(rest) == 0 || rest[0] != ':' {
			return m, false
		}
		rest = rest[1:]
		v, ok := str()
		if !ok {
			return m, false
		}
		pairs = append(pairs, kv{k, v})
		if len(rest) == 0 {
			break
		}
		if rest[0] != ',' || len(rest) == 1 {
			return m, false
		}
		rest = rest[1:]
	}
	if m == nil {
		m = make(map[string]string, len(pairs))
	}
	for _, p := range pairs {
		m[intern(p.k)] = p.v
	}
	return m, true
}
