package main

import (
	"context"
	"errors"
)

// TODO(skeleton): replaced by the real local scan and import.
func (o *scanOptions) runLocal(ctx context.Context) error  { return errors.New("not yet built") }
func (o *scanOptions) runImport(ctx context.Context) error { return errors.New("not yet built") }
