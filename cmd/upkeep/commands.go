package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// commands lists every subcommand, in the order --help shows them.
func commands(f *factory) []*cobra.Command {
	return []*cobra.Command{
		newDemoCmd(f),
		newScanCmd(f),
		newInventoryCmd(f),
		newScansCmd(f),
		newDiffCmd(f),
		newDriftCmd(f),
		newCheckCmd(f),
		newReadinessCmd(f),
		newPlanCmd(f),
		newReportCmd(f),
		newDataCmd(f),
		newVercmpCmd(f),
		newCollectorCmd(f),
		newAWSCmd(f),
	}
}

// isCobraUsageError tells cobra's own argument errors (which it returns as
// plain errors) from failures of the work itself.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least", "requires at most", "invalid argument", "flag needs an argument", "required flag"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
