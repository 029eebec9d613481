package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"upkeep/inventory"
)

// collectorOptions holds the flags of `upkeep collector` (none yet).
type collectorOptions struct {
	f *factory
}

func newCollectorCmd(f *factory) *cobra.Command {
	o := &collectorOptions{f: f}
	return &cobra.Command{
		Use:   "collector",
		Short: "Print the read-only collector script that scans run on each host",
		Long: `collector prints the POSIX sh script that every scan runs on a host, so you
can read it before trusting it, or run it yourself where SSM does not reach:

  upkeep collector | ssh HOST sudo sh > HOST.out
  upkeep scan --import HOST.out

(Run it as root, as SSM does, so that listening sockets show their process.)

The script is read-only: it writes no file (not even in /tmp), installs,
starts and restarts nothing, never prompts and never uses the network. It
reads /etc/os-release, /proc, the rpm and dpkg databases, asks middleware
binaries for their version (5 seconds each at most), and lists running
systemd services and listening TCP sockets. Its output format is described
in docs/collector-format.md.

` + exitCodesHelp,
		Example: `  upkeep collector > collector.sh
  ssh web-1 sh < collector.sh > web-1.out`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run()
		},
	}
}

func (o *collectorOptions) run() error {
	if _, err := o.f.io.out.Write(inventory.Script()); err != nil {
		return fmt.Errorf("print collector: %w", err)
	}
	return nil
}
