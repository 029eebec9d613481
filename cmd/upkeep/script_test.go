package main

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscript run the real CLI in-process as the "upkeep" command.
func TestMain(m *testing.M) {
	testscript.Main(cleanupM{m}, map[string]func(){
		"upkeep": func() { os.Exit(run(context.Background(), os.Args[1:], newSystemIO(), os.Getenv)) },
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script/*.txtar.
// Each script gets its own HOME and database; nothing reaches the network.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:  "testdata/script",
		Cmds: scriptCmds,
		Setup: func(env *testscript.Env) error {
			env.Setenv("XDG_DATA_HOME", env.WorkDir+"/data")
			env.Setenv("UPKEEP_DB", "")
			return nil
		},
	})
}
