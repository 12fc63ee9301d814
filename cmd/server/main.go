// Command server is the loyalty server: with no arguments (or "serve") it
// serves HTTP; "migrate" and "admin" are its other subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/puntos/puntos/internal/config"
	puntoshttp "github.com/puntos/puntos/internal/http"
	"github.com/puntos/puntos/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage())
		return nil
	case "serve":
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(stdout, usage())
			return nil
		}
		cfg, err := config.Load(getenv)
		if err != nil {
			return err
		}
		return serve(ctx, cfg, stdout)
	case "migrate":
		cfg, err := config.Load(getenv)
		if err != nil {
			return err
		}
		return migrateCmd(cfg, args, stdout)
	case "admin":
		return adminCmd(ctx, getenv, args, stdout, stderr)
	default:
		return usageError{fmt.Sprintf("unknown command %q\n\n%s", cmd, usage())}
	}
}

func usage() string {
	var b strings.Builder
	b.WriteString(`Usage: server [command]

Commands:
  serve                 serve HTTP (the default): applies pending migrations first unless MIGRATE=false
  migrate up|down|version
                        apply all pending migrations, roll back the latest one, or print the version
  admin <command>       provision without HTTP (JSON output), e.g. admin merchant create --name N,
                        admin apikey create --merchant ID, admin demo [--if-empty];
                        "server admin --help" lists every admin command
  help                  print this help

Environment:
`)
	for _, v := range config.Vars {
		def := v.Default
		if def == "" {
			def = "(none)"
		}
		fmt.Fprintf(&b, "  %-16s %s (default %s)\n", v.Name, v.Help, def)
	}
	fmt.Fprintf(&b, "  %-16s Go's own; when neither is set, serve runs with GOGC=%d and, in a container with a\n"+
		"  %-16s memory limit, a soft memory limit of three quarters of it\n", "GOGC, GOMEMLIMIT", serverGCPercent, "")
	return b.String()
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func migrateCmd(cfg config.Config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return usageError{"usage: server migrate up|down|version"}
	}
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is not set")
	}
	m, err := store.NewMigrator(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer m.Close()
	switch args[0] {
	case "up":
		err = m.Up()
	case "down":
		err = m.Down()
	case "version":
	default:
		return usageError{"usage: server migrate up|down|version"}
	}
	if err != nil {
		return err
	}
	v, dirty, err := m.Version()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "version %d dirty=%v\n", v, dirty)
	return nil
}

func serve(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	log := newLogger(cfg, stdout)
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is not set (`make run` starts a local Postgres and sets it)")
	}
	log.Info("starting", cfg.Redacted()...)
	// The runtime read GOGC and GOMEMLIMIT from the process's own environment.
	if pct, soft := tuneGC(os.Getenv, os.ReadFile); pct != 0 {
		log.Info("garbage collector tuned (set GOGC or GOMEMLIMIT to choose)", "gogc", pct, "soft_memory_limit_bytes", soft)
	}
	if cfg.Migrate {
		v, err := migrateUp(cfg)
		if err != nil {
			return err
		}
		log.Info("migrations applied", "version", v)
	}
	pool, err := store.Open(ctx, cfg.DatabaseURL, cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer pool.Close()
	st := store.New(pool, nil)
	defer st.Close() // after the last request: frees this process's Idempotency-Key reservations
	srv := puntoshttp.NewServer(st, cfg, log)

	// Background workers stop when ctx ends; shutdown waits for them so that
	// nothing they hold is cut mid-transaction.
	wctx, stopWorkers := context.WithCancel(context.Background())
	var workers sync.WaitGroup
	for _, w := range srv.Workers() {
		workers.Add(1)
		go func() {
			defer workers.Done()
			w(wctx)
		}()
	}

	hs := puntoshttp.NewHTTPServer(cfg.Addr, srv)
	if cfg.DebugAddr != "" {
		startDebug(wctx, cfg.DebugAddr, log)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	log.Info("serving", "addr", cfg.Addr)

	select {
	case err := <-errc:
		stopWorkers()
		workers.Wait()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	err = hs.Shutdown(sctx)
	stopWorkers()
	workers.Wait()
	log.Info("stopped")
	return err
}
