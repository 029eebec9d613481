package main

import "github.com/spf13/cobra"

// TODO(skeleton): replaced by the real command.
func newDataCmd(f *factory) *cobra.Command {
	return &cobra.Command{Use: "data", Short: "not yet built", Hidden: true}
}
