package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/puntos/puntos/internal/admincli"
	"github.com/puntos/puntos/internal/config"
	"github.com/puntos/puntos/internal/store"
)

// adminCmd runs "server admin ...": help needs no database; every other
// command migrates (unless MIGRATE=false), so it works on a fresh database.
func adminCmd(ctx context.Context, getenv func(string) string, args []string, stdout, stderr io.Writer) error {
	if !admincli.NeedsStore(args) {
		env := admincli.Env{Stdout: stdout, Stderr: stderr}
		return adminErr(admincli.Run(ctx, env, args))
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is not set (`make run` starts a local Postgres and sets it)")
	}
	if cfg.Migrate {
		if _, err := migrateUp(cfg); err != nil {
			return err
		}
	}
	pool, err := store.Open(ctx, cfg.DatabaseURL, 4)
	if err != nil {
		return err
	}
	defer pool.Close()
	env := admincli.Env{Store: store.New(pool, nil), PublicURL: cfg.PublicURL, Stdout: stdout, Stderr: stderr}
	return adminErr(admincli.Run(ctx, env, args))
}

// adminErr keeps the CLI's usage errors usage errors (exit status 2).
func adminErr(err error) error {
	var u admincli.UsageError
	if errors.As(err, &u) {
		return usageError{u.Msg}
	}
	if err != nil {
		return fmt.Errorf("admin: %w", err)
	}
	return nil
}

// migrateUp applies every pending migration and returns the version.
func migrateUp(cfg config.Config) (uint, error) {
	m, err := store.NewMigrator(cfg.DatabaseURL)
	if err != nil {
		return 0, err
	}
	defer m.Close()
	if err := m.Up(); err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	v, _, err := m.Version()
	return v, err
}
