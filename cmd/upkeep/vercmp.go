package main

import "github.com/spf13/cobra"

// TODO(skeleton): replaced by the real command.
func newVercmpCmd(f *factory) *cobra.Command {
	return &cobra.Command{Use: "vercmp", Short: "not yet built", Hidden: true}
}
