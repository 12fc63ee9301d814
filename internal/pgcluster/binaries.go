// Package pgcluster provides a Postgres for development and tests when the
// operator has not given one: a URL from the environment, else a container
// when a Docker engine answers, else a private cluster from the local server
// binaries (installed with apt when missing and we are root).
package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

// ErrNoBinaries says that no Postgres server binaries were found or could be installed.
var ErrNoBinaries = errors.New("no Postgres server binaries: install them (Debian/Ubuntu: apt-get install -y postgresql) or set DATABASE_URL / TEST_DATABASE_URL")

// BinDir finds the directory holding initdb and pg_ctl. PG_BIN wins; then
// Debian's /usr/lib/postgresql/<version>/bin (newest first); then PATH.
func BinDir() (string, error) {
	if d := os.Getenv("PG_BIN"); d != "" {
		if hasServer(d) {
			return d, nil
		}
		return "", fmt.Errorf("PG_BIN=%s has no initdb and pg_ctl", d)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		if hasServer(d) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		d := filepath.Dir(p)
		if hasServer(d) {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

// EnsureBinDir is BinDir, installing Debian's postgresql package first when
// nothing is found and we are root on a machine with apt-get.
func EnsureBinDir(log func(string, ...any)) (string, error) {
	if d, err := BinDir(); err == nil {
		return d, nil
	}
	if os.Geteuid() != 0 {
		return "", ErrNoBinaries
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return "", ErrNoBinaries
	}
	log("installing postgresql with apt-get")
	for _, args := range [][]string{{"update"}, {"install", "-y", "--no-install-recommends", "postgresql"}} {
		cmd := exec.Command("apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("apt-get %v: %v\n%s", args, err, out)
		}
	}
	return BinDir()
}

func hasServer(dir string) bool {
	for _, b := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := os.Stat(filepath.Join(dir, b)); err != nil {
			return false
		}
	}
	return true
}
