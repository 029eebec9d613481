package plan

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// readTSV reads one of the planner's data tables: tab-separated rows of
// exactly `fields` columns, '#' comments, blank lines, and a header row
// whose first column is `header`, skipped. row gets each data row with its
// line number; its error is reported as "<table> line N: ...".
func readTSV(r io.Reader, table string, fields int, header string, row func(f []string) error) error {
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != fields {
			return fmt.Errorf("%s line %d: %d fields, want %d", table, n, len(f), fields)
		}
		if f[0] == header {
			continue
		}
		if err := row(f); err != nil {
			return fmt.Errorf("%s line %d: %w", table, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s table: %w", table, err)
	}
	return nil
}
