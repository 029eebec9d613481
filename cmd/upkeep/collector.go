package main

import "github.com/spf13/cobra"

// TODO(skeleton): replaced by the real command.
func newCollectorCmd(f *factory) *cobra.Command {
	return &cobra.Command{Use: "collector", Short: "not yet built", Hidden: true}
}
