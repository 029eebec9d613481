package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// element is a row as JSON and YAML show it: the view's own shape, or an
// object of its Field columns in column order.
func element[R any](v View[R], r R) any {
	if v.JSON != nil {
		return v.JSON(r)
	}
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	for _, c := range v.Columns {
		if c.Field == "" {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		k, _ := json.Marshal(c.Field)
		val, _ := json.Marshal(c.Value(r))
		b.Write(k)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return json.RawMessage(b.Bytes())
}

// renderJSON writes an indented JSON array, one element at a time: the
// bytes are those of encoding the whole slice, without holding it.
func renderJSON[R any](w *bufio.Writer, v View[R], rows Rows[R]) error {
	n := 0
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if !v.JSONLines {
		enc.SetIndent("  ", "  ")
	}
	for r := range rows {
		buf.Reset()
		if err := enc.Encode(element(v, r)); err != nil {
			return fmt.Errorf("encode JSON: %w", err)
		}
		if n == 0 {
			w.WriteString("[\n  ")
		} else {
			w.WriteString(",\n  ")
		}
		w.Write(escapeUnsafe(bytes.TrimRight(buf.Bytes(), "\n")))
		n++
	}
	if n == 0 {
		w.WriteString("[]\n")
		return nil
	}
	w.WriteString("\n]\n")
	return nil
}

// renderYAML writes a YAML sequence with the same keys, in the same order,
// as the JSON: each element goes through JSON, so json tags rule both.
func renderYAML[R any](w *bufio.Writer, v View[R], rows Rows[R]) error {
	n := 0
	for r := range rows {
		b, err := EncodeYAML(element(v, r))
		if err != nil {
			return err
		}
		lines := bytes.SplitAfter(bytes.TrimRight(b, "\n"), []byte("\n"))
		for i, l := range lines {
			if i == 0 {
				w.WriteString("- ")
			} else {
				w.WriteString("  ")
			}
			w.Write(l)
		}
		w.WriteByte('\n')
		n++
	}
	if n == 0 {
		w.WriteString("[]\n")
	}
	return nil
}

// EncodeYAML encodes v as block YAML with the keys and key order of its JSON
// encoding.
func EncodeYAML(v any) ([]byte, error) {
	j, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(escapeUnsafe(j), &doc); err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	blockStyle(&doc)
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	// The emitter writes bidi overrides and other format controls raw even
	// in double quotes (YAML counts them printable); every scalar holding
	// one is double-quoted (blockStyle), where \u escapes are valid.
	return escapeUnsafe(out.Bytes()), nil
}

// blockStyle turns the flow style JSON parses into YAML's block style;
// scalars are quoted only where YAML needs it to keep their type.
func blockStyle(n *yaml.Node) {
	n.Style = 0
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && (!isSafeText(n.Value) || strings.ContainsAny(n.Value, "\n\t")) {
		// Only double quotes can carry (escaped) control characters.
		n.Style = yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		blockStyle(c)
	}
}

// WriteYAML writes v as YAML with the keys of its JSON encoding.
func WriteYAML(w io.Writer, v any) error {
	b, err := EncodeYAML(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// JSONWriter returns a writer for JSON text that writes C1 controls and
// format controls (bidi overrides, zero-width marks) as \u escapes: the
// same JSON value, and nothing in it acts on a terminal it is printed to.
// encoding/json escapes only C0 controls, U+2028/U+2029 and, when asked,
// HTML. Each Write must hold whole runes, as json.Encoder's single Write
// per value does.
func JSONWriter(w io.Writer) io.Writer { return jsonWriter{w} }

type jsonWriter struct{ w io.Writer }

func (j jsonWriter) Write(p []byte) (int, error) {
	if _, err := j.w.Write(escapeUnsafe(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// escapeUnsafe writes the runes YAML's reader refuses raw and a terminal
// would act on (C1 controls, format controls) as \u escapes, valid in JSON
// strings and YAML double-quoted scalars alike; JSON already escapes C0.
func escapeUnsafe(j []byte) []byte {
	if isSafeText(string(j)) {
		return j
	}
	var b bytes.Buffer
	for _, r := range string(j) {
		if r >= 0x80 && unsafeRune(r) {
			fmt.Fprintf(&b, `\u%04x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.Bytes()
}
