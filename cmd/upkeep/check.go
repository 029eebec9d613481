package main

import "github.com/spf13/cobra"

// TODO(skeleton): replaced by the real command.
func newCheckCmd(f *factory) *cobra.Command {
	return &cobra.Command{Use: "check", Short: "not yet built", Hidden: true}
}
