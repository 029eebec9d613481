package report

import (
	"encoding/json"
	"fmt"
	"io"

	"upkeep/internal/output"
)

// WriteJSON writes the report model as indented JSON, field names in
// snake_case, every list present (empty rather than null).
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(output.JSONWriter(w)) // host text: no raw C1 or bidi controls
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write report json: %w", err)
	}
	return nil
}
