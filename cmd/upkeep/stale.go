package main

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"
	"time"

	"upkeep/advisories"
	"upkeep/internal/output"
)

// staleAfter is the age past which the end-of-life data earns a warning.
const staleAfter = 90

// warnStale warns when the end-of-life data in use is more than 90 days
// old today: verdicts may have changed since. The age counts from today,
// never from --at (judging a day ahead does not age the data). The warning
// shows once a day per database, remembered in a small state file beside
// it, so a team running many commands a day reads it once.
func (f *factory) warnStale(d *advisories.Data) {
	now := f.now().UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	age := int(today.Sub(d.Date).Hours() / 24)
	future := d.Date.After(today.AddDate(0, 0, 1))
	if (age <= staleAfter && !future) || f.quiet {
		return // quiet: not seen, so not remembered as shown either
	}
	state, remember := f.statePath()
	day := today.Format(time.DateOnly)
	if remember && readState(state).StaleWarned == day {
		return
	}
	cmd := f.commandPrefix()
	if future {
		f.note("warning: the end-of-life data is dated %s, after today: check the clock, or replace the data with '%s data update'", d.Date.Format(time.DateOnly), cmd)
	} else {
		f.note("warning: the end-of-life data is %d days old (%s): verdicts may have changed since; refresh it with '%s data update' (offline: '%s data update --from-file FILE'). Shown once a day.",
			age, d.Date.Format(time.DateOnly), cmd, cmd)
	}
	if remember {
		st := readState(state)
		st.StaleWarned = day
		_ = writeState(state, st) // a read-only folder only means the warning repeats
	}
}

// commandPrefix is how the user names the database they use: the hint
// must work when pasted.
func (f *factory) commandPrefix() string {
	switch {
	case f.demo && f.dbPath == "":
		return "upkeep --demo"
	case f.dbPath != "":
		return "upkeep --db " + shellQuote(f.dbPath)
	}
	return "upkeep"
}

func shellQuote(s string) string {
	for _, c := range s {
		if !(c == '/' || c == '.' || c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return strconv.Quote(s)
		}
	}
	return s
}

// cliState is what upkeep remembers between runs about one database.
type cliState struct {
	StaleWarned string `json:"stale_warned,omitempty"` // the day the stale-data warning last showed
}

// statePath is the state file of the database in use, beside it; false
// when there is no database to remember for.
func (f *factory) statePath() (string, bool) {
	p, err := f.databasePath()
	if err != nil {
		return "", false
	}
	if _, err := os.Stat(p); err != nil {
		return "", false
	}
	return p + ".state.json", true
}

func readState(path string) cliState {
	var st cliState
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 1<<16 {
		return st
	}
	_ = json.Unmarshal(b, &st) // a damaged file is forgotten, not an error
	return st
}

func writeState(path string, st cliState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	err = output.WriteFile(path, func(w io.Writer) error { _, err := w.Write(append(b, '\n')); return err })
	if errors.Is(err, os.ErrPermission) {
		return nil
	}
	return err
}
