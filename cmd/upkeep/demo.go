package main

import "github.com/spf13/cobra"

// TODO(skeleton): replaced by the real command.
func newDemoCmd(f *factory) *cobra.Command {
	return &cobra.Command{Use: "demo", Short: "not yet built", Hidden: true}
}
