// Package pgtest runs throw-away PostgreSQL clusters for tests: a real server from Debian's
// postgresql package, its data in a temporary folder, listening on a loopback port. `make
// test` starts one cluster for the whole run (cmd withpg) and hands its address to the tests in
// STATION_TEST_POSTGRES; a test run without it starts a cluster of its own.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// EnvURL names the variable that carries a running cluster's superuser URL to the tests.
const EnvURL = "STATION_TEST_POSTGRES"

// Server is one cluster.
type Server struct {
	Dir  string // the data folder's parent (logs, socket)
	Port int
	bin  string
	cmd  *exec.Cmd
	done chan error
}

// URL is the superuser's URL of database db on the server.
func (s *Server) URL(db string) string {
	return fmt.Sprintf("postgres://station@127.0.0.1:%d/%s?sslmode=disable", s.Port, db)
}

// Binaries finds the folder of initdb and postgres (Debian keeps them out of PATH).
func Binaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Strings(dirs)
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", errors.New("PostgreSQL's initdb was not found: install the postgresql package (make test does)")
}

// Start creates a cluster in a new folder under dir and starts it on a free loopback port.
func Start(ctx context.Context, dir string) (*Server, error) {
	bin, err := Binaries()
	if err != nil {
		return nil, err
	}
	base, err := os.MkdirTemp(dir, "pg-")
	if err != nil {
		return nil, err
	}
	if os.Getuid() == 0 {
		os.Chmod(base, 0o755)
		os.Chown(base, 65534, 65534)
	}
	data := filepath.Join(base, "data")
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", data, "-U", "station", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync")
	asUser(initdb)
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: base, Port: port, bin: bin}
	return s, s.start(ctx)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) start(ctx context.Context) error {
	log, err := os.OpenFile(filepath.Join(s.Dir, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o666)
	if err != nil {
		return err
	}
	// fsync off: a test cluster need not survive a power cut, and it makes tests fast.
	s.cmd = exec.Command(filepath.Join(s.bin, "postgres"), "-D", filepath.Join(s.Dir, "data"),
		"-p", fmt.Sprint(s.Port), "-h", "127.0.0.1", "-k", s.Dir, "-c", "fsync=off", "-c", "max_connections=200",
		"-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	s.cmd.Stdout, s.cmd.Stderr = log, log
	asUser(s.cmd)
	if err := s.cmd.Start(); err != nil {
		log.Close()
		return fmt.Errorf("starting postgres: %w", err)
	}
	s.done = make(chan error, 1)
	go func() { s.done <- s.cmd.Wait(); log.Close() }()
	return s.waitReady(ctx)
}

func (s *Server) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		db, err := sql.Open("pgx", s.URL("postgres"))
		if err == nil {
			err = db.PingContext(ctx)
			db.Close()
		}
		if err == nil {
			return nil
		}
		select {
		case e := <-s.done:
			logText, _ := os.ReadFile(filepath.Join(s.Dir, "server.log"))
			return fmt.Errorf("postgres stopped: %v\n%s", e, logText)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections in 30 s: %w", err)
		}
	}
}

// Stop shuts the server down (fast: open sessions are cut).
func (s *Server) Stop() error {
	if s.cmd == nil || s.cmd.Process == nil {
		return nil
	}
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
	s.cmd = nil
	return nil
}

// Restart stops the server and starts it again on the same port: every connection breaks.
func (s *Server) Restart(ctx context.Context, down time.Duration) error {
	s.Stop()
	select {
	case <-time.After(down):
	case <-ctx.Done():
		return ctx.Err()
	}
	return s.start(ctx)
}

// Remove stops the server and deletes its folder.
func (s *Server) Remove() error {
	s.Stop()
	return os.RemoveAll(s.Dir)
}

var dbCounter atomic.Int64

// NewDatabase creates an empty database on the cluster whose superuser URL is admin and returns
// its URL.
func NewDatabase(ctx context.Context, admin string) (string, error) {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", err
	}
	defer db.Close()
	name := fmt.Sprintf("t%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, dbCounter.Add(1))
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("creating a test database: %w", err)
	}
	return strings.Replace(admin, "/postgres?", "/"+name+"?", 1), nil
}

// ForTest starts a cluster for t alone (removed when t ends): for tests that restart or stop
// the server. Without PostgreSQL installed it skips t, except under CI, where it fails.
func ForTest(t testing.TB) *Server {
	t.Helper()
	if _, err := Binaries(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	s, err := Start(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Remove() })
	return s
}

// Database returns the URL of a new, empty database for t: on the cluster of make test
// (STATION_TEST_POSTGRES), or on one started for t.
func Database(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvURL)
	if admin == "" {
		admin = ForTest(t).URL("postgres")
	}
	u, err := NewDatabase(context.Background(), admin)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
