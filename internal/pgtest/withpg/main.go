// Command withpg runs a command (make test's `go test`) with a throw-away PostgreSQL cluster:
// it starts the cluster in a temporary folder, passes its URL in STATION_TEST_POSTGRES, and
// removes the cluster when the command ends or is interrupted.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"station/internal/pgtest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: withpg COMMAND [ARG…]")
		os.Exit(2)
	}
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	srv, err := pgtest.Start(context.Background(), "")
	if err != nil {
		fmt.Fprintln(os.Stderr, "withpg: starting PostgreSQL:", err)
		return 1
	}
	defer srv.Remove()
	fmt.Fprintf(os.Stderr, "withpg: PostgreSQL for the tests on 127.0.0.1:%d (%s)\n", srv.Port, srv.Dir)

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), pgtest.EnvURL+"="+srv.URL("postgres"))
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "withpg:", err)
		return 1
	}
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	err = cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ee.ExitCode() < 0 {
			return 1
		}
		return ee.ExitCode()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "withpg:", err)
		return 1
	}
	return 0
}
