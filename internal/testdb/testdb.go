// Package testdb gives each test its own freshly migrated Postgres database.
//
// One server serves the whole `go test` run (TEST_DATABASE_URL, which
// `make test` sets, else one provided for this package's process). The
// migrations run once into a template database named after their content;
// each test then gets CREATE DATABASE ... TEMPLATE, which takes milliseconds,
// and drops it at the end.
package testdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log"
	"net/url"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/puntos/puntos/internal/pgcluster"
	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/migrations"
)

var (
	once     sync.Once
	adminURL string
	template string
	setupErr error
	counter  atomic.Int64
)

// Main runs a package's tests and stops the server it may have started.
// Call it from TestMain: func TestMain(m *testing.M) { testdb.Main(m) }.
func Main(m interface{ Run() int }) {
	code := m.Run()
	if provided != nil {
		_ = provided.Close()
	}
	os.Exit(code)
}

var provided *pgcluster.Provided

func setup() {
	ctx := context.Background()
	p, err := pgcluster.ProvideForTests(ctx, func(msg string, kv ...any) { log.Println(append([]any{"testdb:", msg}, kv...)...) })
	if err != nil {
		setupErr = err
		return
	}
	if p.Source != "env" {
		provided = p
	}
	adminURL = p.AdminURL
	template = "puntos_tmpl_" + migrationsHash()
	setupErr = ensureTemplate(ctx)
}

// ensureTemplate creates and migrates the template once across all the
// test processes of a run; an advisory lock makes the others wait.
func ensureTemplate(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect %s: %w", redact(adminURL), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(7164001)"); err != nil {
		return err
	}
	defer conn.Exec(ctx, "SELECT pg_advisory_unlock(7164001)")
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", template).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	building := template + "_building"
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+building)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return err
	}
	m, err := store.NewMigrator(dbURL(building))
	if err != nil {
		return err
	}
	if err := m.Up(); err != nil {
		m.Close()
		return fmt.Errorf("migrating template: %w", err)
	}
	if err := m.Close(); err != nil {
		return err
	}
	// Renaming last means a half-built template is never used by anyone.
	_, err = conn.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+template)
	return err
}

// URL creates a fresh migrated database for this test and returns its URL;
// the database is dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if setupErr != nil {
		t.Fatalf("testdb: no Postgres for tests: %v", setupErr)
	}
	ctx := context.Background()
	name := fmt.Sprintf("t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, counter.Add(1))
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+template); err != nil {
		t.Fatalf("testdb: create database: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, adminURL)
		if err != nil {
			return
		}
		defer conn.Close(ctx)
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return dbURL(name)
}

// Pool is URL plus a connection pool that closes when the test ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := store.Open(context.Background(), URL(t), 20)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func dbURL(name string) string {
	u, err := url.Parse(adminURL)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

// migrationsHash names the template after the migrations' content, so a
// changed migration never reuses a stale template on a long-lived server.
func migrationsHash() string {
	h := sha256.New()
	names, _ := fs.Glob(migrations.FS, "*.sql")
	sort.Strings(names)
	for _, n := range names {
		b, _ := fs.ReadFile(migrations.FS, n)
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	u.User = url.User(u.User.Username())
	return u.String()
}
