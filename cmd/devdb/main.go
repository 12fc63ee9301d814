// Command devdb runs a command with a Postgres it provides, for `make run`,
// `make test` and `make bench` on machines where the operator gave none.
//
//	devdb run  [-dir .data/pg] -- CMD...   DATABASE_URL, else a durable cluster in -dir (kept between runs)
//	devdb test -- CMD...                   TEST_DATABASE_URL, else testcontainers, else a throwaway cluster
//
// The cluster is stopped when the command ends; the exit code is the command's.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/puntos/puntos/internal/pgcluster"
)

func main() {
	os.Exit(run())
}

func run() int {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: devdb run|test [-dir DIR] -- CMD...")
		return 2
	}
	mode := os.Args[1]
	fs := flag.NewFlagSet(mode, flag.ContinueOnError)
	dir := fs.String("dir", ".data/pg", "data folder of the durable cluster (run mode)")
	db := fs.String("db", "puntos", "database to create and hand to the command (run mode)")
	if err := fs.Parse(os.Args[2:]); err != nil {
		return 2
	}
	args := fs.Args()
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "devdb: no command given")
		return 2
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil)).With("component", "devdb")
	logf := func(msg string, kv ...any) { logger.Info(msg, kv...) }
	ctx := context.Background()

	env := os.Environ()
	var stop func() error
	switch mode {
	case "run":
		if os.Getenv("DATABASE_URL") == "" {
			abs, err := filepath.Abs(*dir)
			if err != nil {
				return fail(err)
			}
			c, err := pgcluster.Start(pgcluster.Options{Dir: abs, Log: logf})
			if err != nil {
				return fail(err)
			}
			stop = c.Stop
			if err := pgcluster.EnsureDatabase(ctx, c.URL("postgres"), *db); err != nil {
				_ = c.Stop()
				return fail(err)
			}
			env = append(env, "DATABASE_URL="+c.URL(*db))
		}
	case "test":
		p, err := pgcluster.ProvideForTests(ctx, logf)
		if err != nil {
			return fail(err)
		}
		stop = p.Close
		logf("test database", "source", p.Source)
		env = append(env, "TEST_DATABASE_URL="+p.AdminURL)
	default:
		fmt.Fprintf(os.Stderr, "devdb: unknown mode %q (run or test)\n", mode)
		return 2
	}

	code := runChild(args, env)
	if stop != nil {
		if err := stop(); err != nil {
			logger.Error("stopping postgres", "err", err)
		}
	}
	return code
}

// runChild runs the command, passing SIGINT and SIGTERM on so that it can
// shut down gracefully before the cluster stops.
func runChild(args, env []string) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	if err := cmd.Start(); err != nil {
		return fail(err)
	}
	go func() {
		for s := range sig {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if exit.ExitCode() < 0 {
			return 1
		}
		return exit.ExitCode()
	}
	if err != nil {
		return fail(err)
	}
	return 0
}

func fail(err error) int {
	fmt.Fprintln(os.Stderr, "devdb:", err)
	return 1
}
