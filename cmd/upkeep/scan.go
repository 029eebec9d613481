package main

import "github.com/spf13/cobra"

// TODO(skeleton): replaced by the real command.
func newScanCmd(f *factory) *cobra.Command {
	return &cobra.Command{Use: "scan", Short: "not yet built", Hidden: true}
}
