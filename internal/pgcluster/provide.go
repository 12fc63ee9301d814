package pgcluster

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/testcontainers/testcontainers-go"
	tcpostgres "github.com/testcontainers/testcontainers-go/modules/postgres"
)

// Provided is a Postgres server ready for use and how to let it go.
type Provided struct {
	// AdminURL connects to a database on the server with the right to create databases.
	AdminURL string
	// Source says where it came from: "env", "testcontainers" or "local".
	Source  string
	Cluster *Cluster // set when Source is "local"
	stop    func() error
}

// Close stops what Provide started.
func (p *Provided) Close() error {
	if p.stop == nil {
		return nil
	}
	return p.stop()
}

// ProvideForTests returns a server for a test run: TEST_DATABASE_URL if set,
// else testcontainers-go's Postgres module when a Docker engine answers, else
// a throwaway fast cluster in a temp folder from the local binaries.
func ProvideForTests(ctx context.Context, log func(string, ...any)) (*Provided, error) {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return &Provided{AdminURL: u, Source: "env"}, nil
	}
	if dockerAnswers(ctx) {
		c, err := tcpostgres.Run(ctx, "postgres:15-alpine",
			tcpostgres.WithDatabase("puntos"), tcpostgres.WithUsername("puntos"), tcpostgres.WithPassword("puntos"),
			tcpostgres.BasicWaitStrategies())
		if err == nil {
			u, err := c.ConnectionString(ctx, "sslmode=disable")
			if err == nil {
				return &Provided{AdminURL: u, Source: "testcontainers", stop: func() error { return testcontainers.TerminateContainer(c) }}, nil
			}
			_ = testcontainers.TerminateContainer(c)
		}
		log("docker engine answered but the Postgres container did not start; using local binaries", "err", err)
	}
	dir, err := os.MkdirTemp("", "puntos-pg-")
	if err != nil {
		return nil, err
	}
	cl, err := Start(Options{Dir: dir, Fast: true, Log: log})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &Provided{AdminURL: cl.URL("postgres"), Source: "local", Cluster: cl, stop: func() error {
		err := cl.Stop()
		os.RemoveAll(dir)
		return err
	}}, nil
}

// dockerAnswers is true when a Docker engine responds within a few seconds;
// the docker client alone (no engine) is the common case here and must not
// cost more than that.
func dockerAnswers(ctx context.Context) (ok bool) {
	if os.Getenv("PUNTOS_NO_DOCKER") != "" {
		return false
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return false
	}
	defer p.Close()
	return p.Health(ctx) == nil
}

// EnsureDatabase creates database name on the server behind adminURL when it
// does not exist yet.
func EnsureDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}
