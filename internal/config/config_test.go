package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.TokenTTL != 365*24*time.Hour || c.WebhookWorkers != 32 || c.DBMaxConns != 32 || !c.Migrate {
		t.Fatalf("got %+v", c)
	}
}

func TestLoadRejectsBadValues(t *testing.T) {
	for name, val := range map[string]string{
		"DATABASE_URL": "mysql://x", "LOG_LEVEL": "loud", "LOG_FORMAT": "xml", "TOKEN_TTL": "-1h",
		"EXPIRY_INTERVAL": "soon", "WEBHOOK_WORKERS": "0", "RATE_LIMIT": "-3", "DB_MAX_CONNS": "x",
		"MIGRATE": "maybe", "PUBLIC_URL": "ftp://x", "DEBUG_ADDR": "6060",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load(env(map[string]string{name: val}))
			if err == nil || !strings.HasPrefix(err.Error(), name+":") {
				t.Fatalf("got %v, want an error naming %s", err, name)
			}
		})
	}
}

func TestRedactedMasksPassword(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://u:secret@h/db", "ADMIN_TOKEN": "tok"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range c.Redacted() {
		if s, ok := v.(string); ok && (strings.Contains(s, "secret") || s == "tok") {
			t.Fatalf("secret leaked: %v", c.Redacted())
		}
	}
}

func TestDebugListenerIsOptIn(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ env, want string }{{"", ""}, {"127.0.0.1:6060", "127.0.0.1:6060"}, {":6060", ":6060"}} {
		got, err := Load(env(map[string]string{"DEBUG_ADDR": c.env}))
		if err != nil || got.DebugAddr != c.want {
			t.Errorf("DEBUG_ADDR=%q: got %q, %v; want %q", c.env, got.DebugAddr, err, c.want)
		}
	}
}
