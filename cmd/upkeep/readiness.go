package main

import "github.com/spf13/cobra"

// TODO(skeleton): replaced by the real command.
func newReadinessCmd(f *factory) *cobra.Command {
	return &cobra.Command{Use: "readiness", Short: "not yet built", Hidden: true}
}
