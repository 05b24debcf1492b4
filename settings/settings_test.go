package settings

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

func sample(dir string) Settings {
	s := Defaults()
	s.Endpoint = EndpointCustom
	s.CustomURL = "http://127.0.0.1:8790/routerjson"
	s.AppKey = "key-123"
	s.Printer = Printer{Kind: PrinterUSB, Target: "0a5f:0164", Lang: "tspl", DPI: 300, OffsetX: 1.5, OffsetY: -2}
	s.LabelSize = "100x180"
	s.Privacy = true
	s.Carriers = map[string]string{"SOP": "467", "LBP": "0", "SOPL": "336878"}
	s.ScanMode = ScanShipOnly
	s.Packages = 3
	s.Language = English
	return s
}

func TestRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "station")
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := sample(dir)
	if err := st.Save(want); err != nil {
		t.Fatal(err)
	}
	// A second store on the same directory stands for a restart, or the CLI reading the GUI's settings.
	again, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := again.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("loaded settings differ:\n got %+v\nwant %+v", got, want)
	}
}

func TestLoadWithoutFileGivesDefaults(t *testing.T) {
	st, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, Defaults()) {
		t.Fatalf("got %+v, want the defaults %+v", got, Defaults())
	}
	if err := got.Check(); err != nil {
		t.Fatalf("the defaults do not pass Check: %v", err)
	}
}

func TestLoadFillsMissingFields(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "settings.json"), []byte(`{"endpoint":"test","app_key":"k","default_carriers":{"SOP":"467"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	st, _ := Open(dir)
	got, err := st.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got.Endpoint != EndpointTest || got.AppKey != "k" || got.Language != Chinese || got.Packages != 1 ||
		got.ScanMode != ScanPrintShip || got.LabelSize != "100x150" {
		t.Fatalf("defaults not filled in: %+v", got)
	}
	if got.Carriers["SOP"] != "467" || got.Carriers["LBP"] != "0" || got.Carriers["SOPL"] != "0" {
		t.Fatalf("carriers = %v", got.Carriers)
	}
}

func TestDamagedFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "settings.json"), []byte(`{"endpoint":`), 0o600); err != nil {
		t.Fatal(err)
	}
	st, _ := Open(dir)
	got, err := st.Load()
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("err = %v, want a damaged-file error", err)
	}
	if !reflect.DeepEqual(got, Defaults()) {
		t.Fatalf("a damaged file should give the defaults, got %+v", got)
	}
}

func TestSaveRefusesBadSettings(t *testing.T) {
	st, _ := Open(t.TempDir())
	for name, mut := range map[string]func(*Settings){
		"endpoint":   func(s *Settings) { s.Endpoint = "moon" },
		"custom url": func(s *Settings) { s.Endpoint, s.CustomURL = EndpointCustom, "not a url" },
		"printer":    func(s *Settings) { s.Printer.Kind = "fax" },
		"no target":  func(s *Settings) { s.Printer = Printer{Kind: PrinterTCP} },
		"lang":       func(s *Settings) { s.Printer.Lang = "pcl" },
		"dpi":        func(s *Settings) { s.Printer.DPI = 150 },
		"offset":     func(s *Settings) { s.Printer.OffsetX = 11 },
		"mode":       func(s *Settings) { s.ScanMode = "dance" },
		"packages":   func(s *Settings) { s.Packages = 0 },
		"language":   func(s *Settings) { s.Language = "fr" },
	} {
		t.Run(name, func(t *testing.T) {
			s := Defaults()
			mut(&s)
			if err := st.Save(s); err == nil {
				t.Fatal("saved settings that Check should refuse")
			}
			if _, err := os.Stat(st.Path()); err == nil {
				t.Fatal("a refused save wrote the file")
			}
		})
	}
}

func TestPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "cfg", "station")
	st, _ := Open(dir, WithKeyring(brokenKeyring{}))
	if err := st.Save(Defaults()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveSecrets(Secrets{AppSecret: "s3cret", AccessToken: "t0ken"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{st.Path(), st.SecretsPath()} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("settings directory has mode %v, want 0700", fi.Mode().Perm())
	}
	// Saving again replaces the file through a temporary one: none may be left behind.
	if err := st.Save(sample(dir)); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestSecretsInKeyringNeverInFiles(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	st, _ := Open(dir)
	s := sample(dir)
	if err := st.Save(s); err != nil {
		t.Fatal(err)
	}
	const secret, token = "the-app-secret-0123", "the-access-token-4567"
	backend, err := st.SaveSecrets(Secrets{AppSecret: secret, AccessToken: token})
	if err != nil {
		t.Fatal(err)
	}
	if backend != BackendKeyring {
		t.Fatalf("backend = %s, want keyring", backend)
	}
	if err := st.Save(s); err != nil { // saving settings after the secrets must not pick them up either
		t.Fatal(err)
	}
	assertNoFileHolds(t, dir, secret, token)
	if _, err := os.Stat(st.SecretsPath()); err == nil {
		t.Fatal("a secrets file exists although the keyring took the secrets")
	}

	again, _ := Open(dir)
	got, backend, err := again.LoadSecrets()
	if err != nil {
		t.Fatal(err)
	}
	if got.AppSecret != secret || got.AccessToken != token || backend != BackendKeyring {
		t.Fatalf("LoadSecrets = %+v from %s", got, backend)
	}

	// Another settings directory has its own secrets.
	other, _ := Open(t.TempDir())
	if got, _, _ := other.LoadSecrets(); got != (Secrets{}) {
		t.Fatalf("another directory sees %+v", got)
	}

	// Clearing a secret deletes it.
	if _, err := st.SaveSecrets(Secrets{AppSecret: secret}); err != nil {
		t.Fatal(err)
	}
	got, _, _ = st.LoadSecrets()
	if got.AccessToken != "" || got.AppSecret != secret {
		t.Fatalf("after clearing the token: %+v", got)
	}
}

// assertNoFileHolds fails when any file under dir contains one of the strings.
func assertNoFileHolds(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s contains a secret", p)
			}
		}
		return nil
	})
}

// brokenKeyring is a system with no keyring service, like a Linux desktop without Secret Service.
type brokenKeyring struct{}

var errNoService = errors.New("The name org.freedesktop.secrets was not provided by any .service files")

func (brokenKeyring) Get(string, string) (string, error) { return "", errNoService }
func (brokenKeyring) Set(string, string, string) error   { return errNoService }
func (brokenKeyring) Delete(string, string) error        { return errNoService }

func TestSecretsFallbackFile(t *testing.T) {
	keyring.MockInitWithError(errNoService)
	t.Cleanup(keyring.MockInit)
	dir := t.TempDir()
	st, _ := Open(dir)
	if err := st.Save(Defaults()); err != nil {
		t.Fatal(err)
	}
	const secret, token = "fallback-secret-89", "fallback-token-10"
	backend, err := st.SaveSecrets(Secrets{AppSecret: secret, AccessToken: token})
	if err != nil {
		t.Fatal(err)
	}
	if backend != BackendFile {
		t.Fatalf("backend = %s, want file", backend)
	}
	b, err := os.ReadFile(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), secret) || strings.Contains(string(b), token) {
		t.Fatal("settings.json holds a secret")
	}
	b, err = os.ReadFile(st.SecretsPath())
	if err != nil {
		t.Fatalf("no fallback file: %v", err)
	}
	if !strings.Contains(string(b), secret) || !strings.Contains(string(b), token) {
		t.Fatal("the fallback file lacks the secrets")
	}
	got, backend, err := st.LoadSecrets()
	if err != nil {
		t.Fatal(err)
	}
	if got.AppSecret != secret || got.AccessToken != token || backend != BackendFile {
		t.Fatalf("LoadSecrets = %+v from %s", got, backend)
	}

	// The keyring comes back (say, the desktop session started): the next save moves the
	// secrets into it and removes the file.
	keyring.MockInit()
	backend, err = st.SaveSecrets(got)
	if err != nil || backend != BackendKeyring {
		t.Fatalf("SaveSecrets = %s, %v", backend, err)
	}
	if _, err := os.Stat(st.SecretsPath()); err == nil {
		t.Fatal("the fallback file is still there after the keyring took the secrets")
	}
	got, backend, _ = st.LoadSecrets()
	if got.AppSecret != secret || got.AccessToken != token || backend != BackendKeyring {
		t.Fatalf("after moving: %+v from %s", got, backend)
	}
}

func TestSecretErrorsDoNotLeak(t *testing.T) {
	dir := t.TempDir()
	st, _ := Open(dir, WithKeyring(brokenKeyring{}))
	// The secrets file cannot be written when its path is a directory.
	if err := os.MkdirAll(filepath.Join(dir, "secrets.json", "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := st.SaveSecrets(Secrets{AppSecret: "leak-me-not", AccessToken: "nor-me"})
	if err == nil {
		t.Fatal("saving into a directory should fail")
	}
	if strings.Contains(err.Error(), "leak-me-not") || strings.Contains(err.Error(), "nor-me") {
		t.Fatalf("error contains a secret: %v", err)
	}
}

func TestSpec(t *testing.T) {
	for _, c := range []struct {
		s    Settings
		want string
	}{
		{Settings{Printer: Printer{Kind: PrinterPDF, Target: "/tmp/labels", DPI: 300}, LabelSize: "100x150"}, "pdf:/tmp/labels"},
		{Settings{Printer: Printer{Kind: PrinterUSB, Target: "auto"}}, "usb:auto"},
		{Settings{Printer: Printer{Kind: PrinterUSB, Target: "auto", Lang: "tspl", DPI: 203}, LabelSize: "100x150"}, "usb:auto?lang=tspl&dpi=203&size=100x150"},
		{Settings{Printer: Printer{Kind: PrinterTCP, Target: "192.168.1.50", OffsetX: 1.5, OffsetY: -2}}, "tcp:192.168.1.50?offset=1.5,-2"},
		{Settings{Printer: Printer{Kind: PrinterCUPS, Target: ""}}, ""},
		{Settings{}, ""},
	} {
		if got := c.s.Spec(); got != c.want {
			t.Errorf("Spec(%+v) = %q, want %q", c.s.Printer, got, c.want)
		}
	}
}

func TestEndpointURL(t *testing.T) {
	for e, want := range map[Endpoint]string{EndpointProduction: productionURL, EndpointTest: testURL, EndpointDemo: ""} {
		if got := (Settings{Endpoint: e}).URL(); got != want {
			t.Errorf("%s: %q, want %q", e, got, want)
		}
	}
	if got := (Settings{Endpoint: EndpointCustom, CustomURL: " http://127.0.0.1:1/routerjson "}).URL(); got != "http://127.0.0.1:1/routerjson" {
		t.Errorf("custom: %q", got)
	}
}

func TestJournalURLChecked(t *testing.T) {
	for _, tc := range []struct {
		journal string
		ok      bool
	}{
		{"", true},
		{"/var/lib/station/journal.db", true},
		{"postgres://station@db:5432/warehouse?sslmode=verify-full", true},
		{"postgres://db-host", false},
		{"mysql://station@db/warehouse", false},
		{"postgres://station:pw@db/warehouse", false},
	} {
		s := Defaults()
		s.Journal = tc.journal
		if err := s.Check(); (err == nil) != tc.ok {
			t.Errorf("journal %q: Check() = %v", tc.journal, err)
		}
	}
	if u, pw := SplitJournalPassword("postgres://station:p%40ss@db/wh", ""); u != "postgres://station@db/wh" || pw != "p@ss" {
		t.Errorf("SplitJournalPassword = %q, %q", u, pw)
	}
}

// The OS's own keyring (the Windows Credential Manager under make windows-test, which runs this
// package's tests under Wine): the secrets go there, in no file, and come back. Other tests
// replace the keyring with go-keyring's mock, so this one runs alone, when asked.
func TestSystemKeyring(t *testing.T) {
	if os.Getenv("STATION_SYSTEM_KEYRING") == "" {
		t.Skip("set STATION_SYSTEM_KEYRING=1 to use this machine's keyring")
	}
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	const secret, token = "system-keyring-secret-0123", "system-keyring-token-4567"
	backend, err := st.SaveSecrets(Secrets{AppSecret: secret, AccessToken: token})
	if err != nil || backend != BackendKeyring {
		t.Fatalf("saved to %s: %v; want the keyring", backend, err)
	}
	t.Cleanup(func() { st.SaveSecrets(Secrets{}) })
	assertNoFileHolds(t, dir, secret, token)
	again, _ := Open(dir)
	got, backend, err := again.LoadSecrets()
	if err != nil || backend != BackendKeyring || got.AppSecret != secret || got.AccessToken != token {
		t.Fatalf("loaded %s from %s: %v", got.AppSecret, backend, err)
	}
}
