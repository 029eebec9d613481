package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"upkeep/internal/output"
)

// outputFlags are the flags of every command that writes a report:
// --output, --out and (for tables) --wide.
type outputFlags struct {
	output  string
	out     string
	wide    bool
	allowed []output.Format
	format  output.Format
}

// add registers the flags with def as the default format.
func (o *outputFlags) add(cmd *cobra.Command, def output.Format, allowed ...output.Format) {
	o.addTo(cmd.Flags(), def, allowed...)
}

// addTo registers the flags in fl (a command's persistent flags, for a
// command whose subcommands share them).
func (o *outputFlags) addTo(fl *pflag.FlagSet, def output.Format, allowed ...output.Format) {
	o.allowed = allowed
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	fl.StringVarP(&o.output, "output", "o", string(def), "output format: "+strings.Join(names, ", "))
	fl.StringVar(&o.out, "out", "", "write the report to this file (replaced whole, only once complete) instead of stdout")
	if slices.Contains(allowed, output.Table) {
		fl.BoolVar(&o.wide, "wide", false, "show every column in full, whatever the terminal's width")
	}
}

// parse validates --output.
func (o *outputFlags) parse() error {
	f, err := output.Parse(o.output, o.allowed...)
	if err != nil {
		return usageErrorf("%w", err)
	}
	o.format = f
	return nil
}

// write runs render against stdout, or against --out through a temporary
// file renamed when complete. Tables fit stdout's terminal; a file or a
// pipe gets full rows and no colour.
func (o *outputFlags) write(f *factory, render func(io.Writer, output.Options) error) error {
	opt := output.Options{Format: o.format, Wide: o.wide}
	if o.out == "" {
		if f.io.outTTY {
			opt.Width = f.io.termCols
		}
		opt.Color = f.io.color
		return render(f.io.out, opt)
	}
	if err := output.WriteFile(o.out, func(w io.Writer) error { return render(w, opt) }); err != nil {
		return fmt.Errorf("%w; nothing was replaced", err)
	}
	f.note("wrote %s to %s", o.format, o.out)
	return nil
}

// renderRows renders rows through a view to stdout or --out.
func renderRows[R any](f *factory, o *outputFlags, v output.View[R], rows []R) error {
	return o.write(f, func(w io.Writer, oo output.Options) error { return output.Render(w, oo, v, slices.Values(rows)) })
}

// note prints a line for the user on stderr, unless --quiet.
func (f *factory) note(format string, a ...any) {
	fmt.Fprintf(f.io.errOut, "upkeep: "+format+"\n", a...)
}
