package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"
)

// TODO(skeleton): replaced by the real SSM scan.
func addSSMFlags(cmd *cobra.Command, o *scanOptions)       {}
func (o *scanOptions) ssmTargeted() bool                   { return false }
func (o *scanOptions) runSSM(ctx context.Context) error    { return errors.New("not yet built") }
func (o *scanOptions) runResume(ctx context.Context) error { return errors.New("not yet built") }
