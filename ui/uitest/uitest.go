// Package uitest is what the window's tests share: a simulator with settings saved for it, its orders and
// ledger, the labels a PDF-folder printer wrote.
package uitest

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/zalando/go-keyring"

	"station/jos/jostest"
	"station/printdata"
	"station/settings"
)

// Env is what a window test starts on: the JOS simulator over HTTP and, in a temporary folder,
// saved settings for it, a journal path and the PDF printer's folder.
type Env struct {
	Sim     *jostest.Server
	Dir     string // settings directory
	Journal string
	Labels  string // the PDF printer's folder
}

// Start serves a simulator of 40 orders (changed by opts) until the test ends, saves settings for
// it and sets up Fyne's test app.
func Start(t testing.TB, opts ...func(*jostest.Options)) Env {
	t.Helper()
	keyring.MockInit()
	so := jostest.Options{Orders: 40}
	for _, o := range opts {
		o(&so)
	}
	sim := jostest.New(so)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	root := t.TempDir()
	e := Env{Sim: sim, Dir: filepath.Join(root, "config"), Journal: filepath.Join(root, "journal.db"),
		Labels: filepath.Join(root, "labels")}
	SaveSettings(t, e.Dir, srv.URL+"/routerjson", e.Labels)
	test.NewTempApp(t)
	return e
}

// SaveSettings saves, in dir, settings for the simulator at url with its demo credentials (in
// a mock keyring) and a PDF-folder printer writing into labels, changed by mods.
func SaveSettings(t testing.TB, dir, url, labels string, mods ...func(*settings.Settings)) {
	t.Helper()
	keyring.MockInit()
	store, err := settings.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := settings.Defaults()
	cfg.Endpoint, cfg.CustomURL, cfg.AppKey = settings.EndpointCustom, url, jostest.DemoAppKey
	cfg.Printer = settings.Printer{Kind: settings.PrinterPDF, Target: labels}
	for _, mod := range mods {
		mod(&cfg)
	}
	if err := store.Save(cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveSecrets(settings.Secrets{AppSecret: jostest.DemoAppSecret, AccessToken: jostest.DemoAccessToken}); err != nil {
		t.Fatal(err)
	}
}

// OrderOf is the skip-th waiting order of type typ.
func OrderOf(t testing.TB, sim *jostest.Server, typ string, skip int) string {
	t.Helper()
	ids := sim.OrderIDs(typ, printdata.StateWaitStockOut)
	if len(ids) <= skip {
		t.Fatalf("the simulator has %d waiting %s orders", len(ids), typ)
	}
	return ids[skip]
}

// Ledger is the simulator's record of the order, which must be there.
func Ledger(t testing.TB, sim *jostest.Server, id string) jostest.LedgerOrder {
	t.Helper()
	o, ok := sim.Ledger().Order(id)
	if !ok {
		t.Fatalf("order %s not in the ledger", id)
	}
	return o
}

// PDFs are the label files in dir.
func PDFs(dir string) []string {
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".pdf") {
			names = append(names, e.Name())
		}
	}
	return names
}
