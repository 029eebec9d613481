package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"upkeep/advisories/version"
)

type vercmpOptions struct {
	io     *ioStreams
	scheme string
	args   []string
}

func newVercmpCmd(f *factory) *cobra.Command {
	opts := &vercmpOptions{io: f.io}
	cmd := &cobra.Command{
		Use:   "vercmp [--scheme rpm|deb|upstream] [A B]",
		Short: "Compare two versions the way rpm, dpkg or upstream release lists order them",
		Long: `vercmp prints -1, 0 or 1 as version A is older than, the same as, or newer
than version B. It is the comparison upkeep itself uses for every finding.

Schemes:
  rpm       [epoch:]version[-release], ordered as rpm 4.18's rpm.vercmp (default)
  deb       [epoch:]upstream[-revision], ordered as dpkg --compare-versions
  upstream  what a binary prints: 1.24.0, v18.19.0, 1.0.2k, 1.8.0_402, 8.3.0RC6

With no arguments it reads pairs from stdin, one "A<TAB>B" per line, and
prints one result per line in the same order. A blank input line gives a
blank output line, so the output always lines up with the input. A line
that is not two non-empty versions separated by one tab stops the run with
exit code 2, naming the line; results for the lines before it are printed.`,
		Example: `  # rpm: the epoch outranks the version, so AL2's nginx 1:1.20.0 sorts
  # after 1.24.0 without one  (prints 1)
  upkeep vercmp 1:1.20.0-2.amzn2.0.5 1.24.0-1.amzn2023.0.2

  # Debian: a security update is newer than the release  (prints 1)
  upkeep vercmp --scheme deb 7.4.33-1+deb11u5 7.4.33-1

  # Upstream: OpenSSL letters are patch levels, RC comes before the release
  upkeep vercmp --scheme upstream 1.0.2k 1.0.2     # 1
  upkeep vercmp --scheme upstream 8.3.0RC6 8.3.0   # -1

  # Many pairs at once, one result per line
  printf '1.0-1\t1.0\n2.0\t10.0\n' | upkeep vercmp`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 0 && len(args) != 2 {
				return usageErrorf("vercmp takes two versions, or none to read A<TAB>B pairs from stdin; got %d argument(s)\nRun 'upkeep vercmp --help' for usage.", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.args = args
			return runVercmp(opts)
		},
	}
	cmd.Flags().StringVar(&opts.scheme, "scheme", string(version.RPM), "version scheme: rpm, deb or upstream")
	return cmd
}

func runVercmp(opts *vercmpOptions) error {
	scheme, err := version.ParseScheme(opts.scheme)
	if err != nil {
		return usageErrorf("%w", err)
	}
	if len(opts.args) == 2 {
		a, b := opts.args[0], opts.args[1]
		if a == "" || b == "" {
			return usageErrorf("vercmp: a version is empty")
		}
		_, err := fmt.Fprintln(opts.io.out, version.Compare(scheme, a, b))
		return err
	}
	return vercmpStream(scheme, opts.io.in, opts.io.out)
}

// vercmpStream compares "A<TAB>B" lines from r and writes one result per
// line to w. Lines are read in place from the reader's buffer and results
// are written from constants, so a batch costs no allocation per line.
func vercmpStream(scheme version.Scheme, r io.Reader, w io.Writer) error {
	in := bufio.NewScanner(r)
	in.Buffer(make([]byte, 64*1024), 1024*1024)
	out := bufio.NewWriterSize(w, 64*1024)
	results := [3][]byte{[]byte("-1\n"), []byte("0\n"), []byte("1\n")}
	for n := 1; in.Scan(); n++ {
		line := bytes.TrimSuffix(in.Bytes(), []byte{'\r'})
		if len(line) == 0 {
			out.WriteByte('\n')
			continue
		}
		a, b, ok := bytes.Cut(line, []byte{'\t'})
		if !ok || len(a) == 0 || len(b) == 0 || bytes.IndexByte(b, '\t') >= 0 {
			if err := out.Flush(); err != nil {
				return fmt.Errorf("write results: %w", err)
			}
			return usageErrorf("stdin line %d: want two non-empty versions separated by one tab, got %q", n, line)
		}
		out.Write(results[version.Compare(scheme, string(a), string(b))+1])
	}
	if err := in.Err(); err != nil {
		out.Flush()
		return usageErrorf("read pairs from stdin: %w", err)
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	return nil
}
