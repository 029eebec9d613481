package main

import "github.com/spf13/cobra"

// TODO(skeleton): replaced by the real command.
func newPlanCmd(f *factory) *cobra.Command {
	return &cobra.Command{Use: "plan", Short: "not yet built", Hidden: true}
}
