package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// runWith runs the binary's entry point with the given environment.
func runWith(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String(), err
}

func TestRunRefusesBadEnvironment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, value string }{
		{"LOG_LEVEL", "loud"},
		{"ADDR", ""}, // empty means default: must pass this one
		{"DB_MAX_CONNS", "1"},
		{"TOKEN_TTL", "-1h"},
		{"PUBLIC_URL", "localhost"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runWith(t, map[string]string{tc.name: tc.value, "DATABASE_URL": "postgres://x@127.0.0.1:1/x"}, "migrate", "version")
			if tc.value == "" {
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.name) {
				t.Fatalf("got %v, want an error naming %s", err, tc.name)
			}
		})
	}
}

func TestServeWithoutDatabaseURL(t *testing.T) {
	t.Parallel()
	_, err := runWith(t, nil, "serve")
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Fatalf("got %v, want an error naming DATABASE_URL", err)
	}
}

func TestMigrateVersion(t *testing.T) {
	t.Parallel()
	out, err := runWith(t, map[string]string{"DATABASE_URL": testdb.URL(t)}, "migrate", "version")
	latest, _ := store.Latest()
	if err != nil || !strings.Contains(out, "dirty=false") || !strings.Contains(out, "version ") ||
		!strings.HasPrefix(strings.TrimSpace(out), "version "+itoa(latest)) {
		t.Fatalf("got %q, %v; want version %d dirty=false", out, err, latest)
	}
}

func itoa(v uint) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestHelpListsAdmin(t *testing.T) {
	t.Parallel()
	out, err := runWith(t, nil, "--help")
	if err != nil || !strings.Contains(out, "admin <command>") || !strings.Contains(out, "ADMIN_TOKEN") {
		t.Fatalf("got %q, %v", out, err)
	}
	out, err = runWith(t, nil, "admin", "--help")
	if err != nil || !strings.Contains(out, "demo") || !strings.Contains(out, "wallet create") {
		t.Fatalf("admin --help: got %q, %v", out, err)
	}
	out, err = runWith(t, nil, "admin", "wallet", "create", "--help")
	if err != nil || !strings.Contains(out, "-cashback") {
		t.Fatalf("wallet create --help: got %q, %v", out, err)
	}
	var u usageError
	if _, err := runWith(t, nil, "admin", "nothing"); !errors.As(err, &u) {
		t.Fatalf("unknown admin command: got %v, want a usage error (exit 2)", err)
	}
}
