package pgcluster

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Superuser is the role initdb creates; local clusters trust connections
// from 127.0.0.1 and the socket in the data folder only.
const Superuser = "puntos"

// Cluster is a Postgres cluster in a folder of ours, started with pg_ctl.
type Cluster struct {
	Dir    string
	Port   int
	bin    string
	cred   *syscall.Credential // nil: run as ourselves
	log    func(string, ...any)
	reused bool // it was already running when we came: leave it running
}

// Options says where the cluster lives and how it trades safety for speed.
type Options struct {
	Dir string
	// Fast turns fsync and synchronous_commit off: for throwaway test clusters only.
	Fast bool
	// Port to listen on; 0 picks a free one. A crash test restarts a
	// cluster on the port its server is still configured with.
	Port int
	Log  func(string, ...any)
}

// Start initialises Dir if it holds no cluster yet, then starts Postgres on a
// free port of 127.0.0.1, or reuses the one already running there. As root,
// Postgres refuses to run, so the cluster runs as the postgres user (created
// when missing) and owns its folder.
func Start(o Options) (*Cluster, error) {
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	bin, err := EnsureBinDir(o.Log)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: o.Dir, bin: bin, log: o.Log}
	// Parents must stay traversable: as root the cluster runs as an
	// unprivileged user, who could not reach .data/pg inside a 0700 .data.
	if err := os.MkdirAll(filepath.Dir(o.Dir), 0o755); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		if c.cred, err = unprivileged(); err != nil {
			return nil, err
		}
		if err := chownTree(o.Dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(filepath.Join(o.Dir, "PG_VERSION")); err != nil {
		o.Log("initdb", "dir", o.Dir)
		if out, err := c.run("initdb", "-D", o.Dir, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
			return nil, fmt.Errorf("initdb: %v\n%s", err, out)
		}
	}
	if port, ok := c.runningPort(); ok {
		c.Port, c.reused = port, true
		o.Log("reusing running postgres", "port", port)
		return c, nil
	}
	c.Port = o.Port
	if c.Port == 0 {
		if c.Port, err = freePort(); err != nil {
			return nil, err
		}
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB", c.Port, o.Dir)
	if o.Fast {
		opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	}
	out, err := c.run("pg_ctl", "-D", o.Dir, "-l", filepath.Join(o.Dir, "server.log"), "-o", opts, "-w", "-t", "60", "start")
	if err != nil {
		logTail, _ := os.ReadFile(filepath.Join(o.Dir, "server.log"))
		return nil, fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, tail(logTail, 2000))
	}
	o.Log("postgres started", "dir", o.Dir, "port", c.Port)
	return c, nil
}

// URL is the connection string of database db on this cluster.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", Superuser, c.Port, db)
}

// Stop shuts the cluster down (fast mode: in-flight transactions roll back)
// unless it was already running before Start.
func (c *Cluster) Stop() error {
	if c.reused {
		return nil
	}
	out, err := c.run("pg_ctl", "-D", c.Dir, "-m", "fast", "-w", "stop")
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v\n%s", err, out)
	}
	return nil
}

// StopImmediate kills the cluster as a crash would (pg_ctl -m immediate):
// recovery replays the WAL on the next start.
func (c *Cluster) StopImmediate() error {
	out, err := c.run("pg_ctl", "-D", c.Dir, "-m", "immediate", "-w", "stop")
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v\n%s", err, out)
	}
	return nil
}

func (c *Cluster) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = "/"
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	// pg_ctl hands its output file to the server it starts, so read from a
	// pipe-free buffer rather than waiting on the server's lifetime.
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	return buf.Bytes(), err
}

// runningPort reports the port of a server already running on this folder.
func (c *Cluster) runningPort() (int, bool) {
	if _, err := c.run("pg_ctl", "-D", c.Dir, "status"); err != nil {
		return 0, false
	}
	b, err := os.ReadFile(filepath.Join(c.Dir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return 0, false
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	return port, err == nil
}

// unprivileged returns the credentials of the postgres user, creating a
// system user of that name when the machine has none.
func unprivileged() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		if out, err := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres").CombinedOutput(); err != nil {
			return nil, fmt.Errorf("running as root and no postgres user to run Postgres as; useradd: %v %s", err, out)
		}
		if u, err = user.Lookup("postgres"); err != nil {
			return nil, err
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func chownTree(dir string, uid, gid int) error {
	return filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
