// Package wintest runs the Windows build (make windows: dist/windows) under Wine on this Linux
// machine, for the tests in this folder: a throw-away Wine prefix with the ProcessPrng shim
// that Go programs need on Wine 8 (built here from testdata/processprng.c with mingw: a test
// fixture, never shipped), an Xvfb display for the window, and a CUPS scheduler whose raw queue
// captures what Windows' spooler sends, so that a test reads the bytes a win: printer got.
package wintest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Wine is a Wine prefix of its own, with the environment the station's exes run in.
type Wine struct {
	Dir    string // the prefix
	Home   string // HOME: Wine links the Windows desktop to Home/Desktop
	Env    []string
	Dist   string // the folder with station.exe, station-cli.exe, station-setup.exe
	Prefix string // drive_c/users/USER: the Windows user's profile
}

// Tools lists the programs the harness needs and says which are missing.
func Tools() error {
	var missing []string
	for _, p := range []string{"wine", "wineboot", "wineserver", "x86_64-w64-mingw32-gcc", "Xvfb", "xdotool", "import", "pdftoppm", "zbarimg", "script"} {
		if _, err := exec.LookPath(p); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s (make windows-test installs them)", strings.Join(missing, ", "))
	}
	return nil
}

// NewWine makes a prefix under dir for the exes in dist: it boots the prefix and builds the
// ProcessPrng shim into its system32. extraEnv (KEY=VALUE) is added to the
// environment of every Wine process (e.g. CUPS_SERVER).
func NewWine(ctx context.Context, dir, dist string, extraEnv ...string) (*Wine, error) {
	w := &Wine{Dir: filepath.Join(dir, "prefix"), Home: filepath.Join(dir, "home"), Dist: dist}
	if err := os.MkdirAll(filepath.Join(w.Home, "Desktop"), 0o755); err != nil {
		return nil, err
	}
	w.Env = append(os.Environ(), "WINEPREFIX="+w.Dir, "HOME="+w.Home, "WINEDEBUG=-all",
		// No menu entries or .desktop files for the real user; no Mono or Gecko prompts.
		"WINEDLLOVERRIDES=winemenubuilder.exe=d;mscoree=d;mshtml=d",
		"LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	w.Env = append(w.Env, extraEnv...)

	boot := exec.CommandContext(ctx, "wineboot", "-i")
	boot.Env = w.Env
	if out, err := boot.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("wineboot: %v\n%s", err, out)
	}
	if err := w.Wait(ctx); err != nil {
		return nil, err
	}
	src, err := filepath.Abs("testdata")
	if err != nil {
		return nil, err
	}
	cc := exec.CommandContext(ctx, "x86_64-w64-mingw32-gcc", "-shared", "-O2",
		"-o", filepath.Join(w.Dir, "drive_c", "windows", "system32", "bcryptprimitives.dll"),
		filepath.Join(src, "processprng.c"), filepath.Join(src, "processprng.def"), "-ladvapi32")
	if out, err := cc.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building the ProcessPrng shim: %v\n%s", err, out)
	}
	users, _ := filepath.Glob(filepath.Join(w.Dir, "drive_c", "users", "*", "AppData"))
	for _, u := range users {
		if filepath.Base(filepath.Dir(u)) != "Public" {
			w.Prefix = filepath.Dir(u)
		}
	}
	if w.Prefix == "" {
		return nil, errors.New("the new prefix has no user profile")
	}
	return w, nil
}

// Wait waits until the prefix's wineserver has ended (every Wine process of the prefix).
func (w *Wine) Wait(ctx context.Context) error {
	c := exec.CommandContext(ctx, "wineserver", "-w")
	c.Env = w.Env
	return c.Run()
}

// Kill ends every Wine process of the prefix.
func (w *Wine) Kill() {
	c := exec.Command("wineserver", "-k")
	c.Env = w.Env
	c.Run()
}

// Command is exe run under Wine with args: a file of Dist (station.exe), a Linux path, or a
// program of Wine's own (reg.exe).
func (w *Wine) Command(ctx context.Context, exe string, args ...string) *exec.Cmd {
	if _, err := os.Stat(filepath.Join(w.Dist, exe)); err == nil && !filepath.IsAbs(exe) {
		exe = filepath.Join(w.Dist, exe)
	}
	c := exec.CommandContext(ctx, "wine", append([]string{exe}, args...)...)
	c.Env = w.Env
	c.WaitDelay = 5 * time.Second
	return c
}

// Run runs exe and returns what it wrote to stdout and stderr.
func (w *Wine) Run(ctx context.Context, exe string, args ...string) (stdout, stderr string, err error) {
	c := w.Command(ctx, exe, args...)
	var out, errOut bytes.Buffer
	c.Stdout, c.Stderr = &out, &errOut
	err = c.Run()
	return out.String(), errOut.String(), err
}

// Path is the Linux path of a Windows path on drive C:, e.g. C:\users\x → DIR/drive_c/users/x.
func (w *Wine) Path(win string) string {
	rest, _ := strings.CutPrefix(win, `C:\`)
	return filepath.Join(w.Dir, "drive_c", filepath.FromSlash(strings.ReplaceAll(rest, `\`, "/")))
}

// Display is an Xvfb server on a display number it chose itself.
type Display struct {
	Name string // e.g. ":93"
	cmd  *exec.Cmd
}

// StartDisplay starts Xvfb at widthxheight.
func StartDisplay(ctx context.Context, width, height int) (*Display, error) {
	r, wr, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	c := exec.CommandContext(ctx, "Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", width, height), "-nolisten", "tcp")
	c.ExtraFiles = []*os.File{wr}
	if err := c.Start(); err != nil {
		wr.Close()
		return nil, err
	}
	wr.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	n, convErr := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || convErr != nil {
		c.Process.Kill()
		c.Wait()
		return nil, fmt.Errorf("Xvfb did not say its display: %q %v", line, err)
	}
	return &Display{Name: ":" + strconv.Itoa(n), cmd: c}, nil
}

// Stop ends the display.
func (d *Display) Stop() {
	d.cmd.Process.Kill()
	d.cmd.Wait()
}

// Env is KEY=VALUE for programs that draw on or read the display.
func (d *Display) Env() string { return "DISPLAY=" + d.Name }

// X runs an X client (xdotool, import) on the display.
func (d *Display) X(ctx context.Context, name string, args ...string) (string, error) {
	c := exec.CommandContext(ctx, name, args...)
	c.Env = append(os.Environ(), d.Env(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	out, err := c.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// WaitWindow waits until a window whose name matches title is mapped, and returns its id.
func (d *Display) WaitWindow(ctx context.Context, title string) (string, error) {
	for {
		out, err := d.X(ctx, "xdotool", "search", "--onlyvisible", "--name", title)
		if err == nil && out != "" {
			id, _, _ := strings.Cut(out, "\n")
			return id, nil
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("no window %q appeared: %w", title, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// CUPS is a CUPS scheduler of the test's own, on a local socket, with raw queues whose
// device writes every job to Out.
type CUPS struct {
	Socket string
	Out    string
	dir    string
	cmd    *exec.Cmd
}

// captureBackend is a CUPS backend that writes each job's bytes to the folder its device URI
// names (capture:/FOLDER), as job-ID.prn.
const captureBackend = `#!/bin/sh
if [ $# -eq 0 ]; then echo 'direct capture "Unknown" "capture to a folder"'; exit 0; fi
dir=${DEVICE_URI#capture:}
if [ -n "$6" ]; then cat "$6"; else cat; fi > "$dir/job-$1.prn"
`

// StartCUPS starts cupsd under dir. CUPS runs backends as root only when it runs as root, and
// refuses to start otherwise with this setup: the caller skips when it is not root.
func StartCUPS(ctx context.Context, dir string) (*CUPS, error) {
	if os.Getuid() != 0 {
		return nil, errors.New("a CUPS scheduler of the test's own needs root")
	}
	c := &CUPS{dir: filepath.Join(dir, "cups"), Out: filepath.Join(dir, "cups-out")}
	c.Socket = filepath.Join(c.dir, "cups.sock")
	bin := filepath.Join(dir, "cups-bin")
	for _, d := range []string{c.dir, c.Out, filepath.Join(bin, "backend")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	os.Chmod(c.Out, 0o777)
	// The server's programs are Debian's, but for one backend of the test's own.
	dirs, _ := filepath.Glob("/usr/lib/cups/*")
	for _, d := range dirs {
		if filepath.Base(d) != "backend" {
			os.Symlink(d, filepath.Join(bin, filepath.Base(d)))
		}
	}
	if err := os.WriteFile(filepath.Join(bin, "backend", "capture"), []byte(captureBackend), 0o700); err != nil {
		return nil, err
	}
	conf := fmt.Sprintf("Listen %s\nLogLevel warn\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"+
		"<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n", c.Socket)
	files := fmt.Sprintf("ServerRoot %[1]s\nRequestRoot %[1]s/spool\nCacheDir %[1]s/cache\nStateDir %[1]s/state\n"+
		"ErrorLog %[1]s/error_log\nAccessLog %[1]s/access_log\nPageLog %[1]s/page_log\nServerBin %[2]s\nDataDir /usr/share/cups\n", c.dir, bin)
	if err := os.WriteFile(filepath.Join(c.dir, "cupsd.conf"), []byte(conf), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(c.dir, "cups-files.conf"), []byte(files), 0o644); err != nil {
		return nil, err
	}
	c.cmd = exec.CommandContext(ctx, "cupsd", "-f", "-c", filepath.Join(c.dir, "cupsd.conf"), "-s", filepath.Join(c.dir, "cups-files.conf"))
	if err := c.cmd.Start(); err != nil {
		return nil, err
	}
	for i := 0; ; i++ {
		if _, err := os.Stat(c.Socket); err == nil {
			return c, nil
		}
		if i == 100 {
			c.Stop()
			log, _ := os.ReadFile(filepath.Join(c.dir, "error_log"))
			return nil, fmt.Errorf("cupsd did not start:\n%s", log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// AddRawQueue adds an enabled raw queue whose jobs land in c.Out.
func (c *CUPS) AddRawQueue(ctx context.Context, name string) error {
	out, err := exec.CommandContext(ctx, "lpadmin", "-h", c.Socket, "-p", name, "-E", "-v", "capture:"+c.Out, "-m", "raw").CombinedOutput()
	if err != nil {
		return fmt.Errorf("lpadmin: %v\n%s", err, out)
	}
	return nil
}

// Jobs returns the bytes of every job the queues wrote so far, in the order CUPS numbered them.
func (c *CUPS) Jobs() ([][]byte, error) {
	files, err := filepath.Glob(filepath.Join(c.Out, "job-*.prn"))
	if err != nil {
		return nil, err
	}
	num := func(f string) int {
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "job-"), ".prn"))
		return n
	}
	slices.SortFunc(files, func(a, b string) int { return num(a) - num(b) })
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// Log is the scheduler's error log, for a test's failure message.
func (c *CUPS) Log() string {
	b, _ := os.ReadFile(filepath.Join(c.dir, "error_log"))
	return string(b)
}

// Stop ends the scheduler.
func (c *CUPS) Stop() {
	c.cmd.Process.Kill()
	c.cmd.Wait()
}
