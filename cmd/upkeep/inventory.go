package main

import "github.com/spf13/cobra"

// TODO(skeleton): replaced by the real command.
func newInventoryCmd(f *factory) *cobra.Command {
	return &cobra.Command{Use: "inventory", Short: "not yet built", Hidden: true}
}
