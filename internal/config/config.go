// Package config reads the server's configuration from the environment.
//
// Every variable has a sensible default except DATABASE_URL, which the
// Makefile provides when it starts a private cluster. A bad value is an error
// that names the variable, so the operator sees exactly what to fix.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is everything the server reads from its environment.
type Config struct {
	DatabaseURL    string
	Addr           string
	AdminToken     string
	LogLevel       slog.Level
	LogFormat      string
	TokenTTL       time.Duration
	WebhookWorkers int
	ExpiryInterval time.Duration
	RateLimit      int // requests per second per credential; 0 disables
	TokenRateLimit int // token requests per minute per client IP; 0 disables
	DBMaxConns     int32
	Migrate        bool // apply pending migrations at start
	PublicURL      string
	DebugAddr      string // "" = no debug listener
}

// Var documents one environment variable for README and --help.
type Var struct {
	Name, Default, Help string
}

// Vars lists every variable the server reads, in the order --help prints them.
var Vars = []Var{
	{"DATABASE_URL", "", "Postgres URL (postgres://user:pass@host:port/db). Required to serve; `make run` sets it."},
	{"ADDR", ":8080", "address to listen on"},
	{"ADMIN_TOKEN", "", "bearer token for /admin/v1 (the admin API answers 401 to everything while it is empty)"},
	{"LOG_LEVEL", "info", "debug, info, warn or error"},
	{"LOG_FORMAT", "json", "json or text"},
	{"TOKEN_TTL", "8760h", "lifetime of OAuth access tokens (Go duration; the seed's default is one year)"},
	{"WEBHOOK_WORKERS", "32", "concurrent webhook and message deliveries"},
	{"EXPIRY_INTERVAL", "1m", "how often the batch expiry job runs (Go duration)"},
	{"RATE_LIMIT", "0", "requests per second allowed per credential (0 = unlimited)"},
	{"TOKEN_RATE_LIMIT", "120", "POST /oauth/token requests per minute allowed per client IP (0 = unlimited)"},
	{"DB_MAX_CONNS", "32", "maximum connections in the database pool"},
	{"MIGRATE", "true", "apply pending migrations when the server starts"},
	{"PUBLIC_URL", "http://localhost:8080", "base URL used in links the server hands out (card and wallet pages)"},
	{"DEBUG_ADDR", "", "opt-in debug listener serving net/http/pprof (e.g. 127.0.0.1:6060); off when empty. Keep it private: profiles reveal internals"},
}

// Load reads the configuration through getenv (os.Getenv in production).
func Load(getenv func(string) string) (Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		for _, v := range Vars {
			if v.Name == name {
				return v.Default
			}
		}
		return ""
	}
	var c Config
	var err error
	c.DatabaseURL = get("DATABASE_URL")
	if c.DatabaseURL != "" {
		if u, perr := url.Parse(c.DatabaseURL); perr != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return c, fmt.Errorf("DATABASE_URL: want postgres://user:pass@host:port/db")
		}
	}
	c.Addr = get("ADDR")
	c.AdminToken = get("ADMIN_TOKEN")
	if err = c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL"))); err != nil {
		return c, fmt.Errorf("LOG_LEVEL: %q is not one of debug, info, warn, error", get("LOG_LEVEL"))
	}
	c.LogFormat = get("LOG_FORMAT")
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return c, fmt.Errorf("LOG_FORMAT: %q is not json or text", c.LogFormat)
	}
	if c.TokenTTL, err = positiveDuration("TOKEN_TTL", get("TOKEN_TTL")); err != nil {
		return c, err
	}
	if c.ExpiryInterval, err = positiveDuration("EXPIRY_INTERVAL", get("EXPIRY_INTERVAL")); err != nil {
		return c, err
	}
	if c.WebhookWorkers, err = intRange("WEBHOOK_WORKERS", get("WEBHOOK_WORKERS"), 1, 256); err != nil {
		return c, err
	}
	if c.RateLimit, err = intRange("RATE_LIMIT", get("RATE_LIMIT"), 0, 1_000_000); err != nil {
		return c, err
	}
	if c.TokenRateLimit, err = intRange("TOKEN_RATE_LIMIT", get("TOKEN_RATE_LIMIT"), 0, 1_000_000); err != nil {
		return c, err
	}
	n, err := intRange("DB_MAX_CONNS", get("DB_MAX_CONNS"), 2, 1000)
	if err != nil {
		return c, err
	}
	c.DBMaxConns = int32(n)
	if c.Migrate, err = strconv.ParseBool(get("MIGRATE")); err != nil {
		return c, fmt.Errorf("MIGRATE: %q is not true or false", get("MIGRATE"))
	}
	c.DebugAddr = get("DEBUG_ADDR")
	if c.DebugAddr != "" {
		if _, port, perr := net.SplitHostPort(c.DebugAddr); perr != nil || port == "" {
			return c, fmt.Errorf("DEBUG_ADDR: %q is not host:port (such as 127.0.0.1:6060)", c.DebugAddr)
		}
	}
	c.PublicURL = strings.TrimRight(get("PUBLIC_URL"), "/")
	if u, perr := url.Parse(c.PublicURL); perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, fmt.Errorf("PUBLIC_URL: %q is not an http(s) URL", c.PublicURL)
	}
	return c, nil
}

func positiveDuration(name, s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: %q is not a positive duration such as 90s, 1m or 24h", name, s)
	}
	return d, nil
}

func intRange(name, s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s: %q is not a whole number from %d to %d", name, s, lo, hi)
	}
	return n, nil
}

// Redacted returns the configuration as log attributes with secrets masked.
func (c Config) Redacted() []any {
	dbURL := c.DatabaseURL
	if u, err := url.Parse(dbURL); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		dbURL = u.String()
	}
	return []any{"addr", c.Addr, "database_url", dbURL, "admin_token_set", c.AdminToken != "",
		"log_level", c.LogLevel.String(), "token_ttl", c.TokenTTL.String(), "webhook_workers", c.WebhookWorkers,
		"expiry_interval", c.ExpiryInterval.String(), "rate_limit", c.RateLimit, "db_max_conns", c.DBMaxConns,
		"migrate", c.Migrate, "debug_addr", c.DebugAddr}
}
