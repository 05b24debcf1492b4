package setup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"station/jos/jostest"
	"station/printdata"
	"station/settings"
	"station/ui/uitest"
)

// testHost runs the settings tab on a uitest.Host.
type testHost struct {
	*uitest.Host
	settings *Tab
}

func newHost(t *testing.T) *testHost {
	t.Helper()
	h := &testHost{Host: uitest.NewHost(t)}
	h.open()
	return h
}

// open starts the tab on the saved settings, as a window does when it opens.
func (h *testHost) open() {
	h.T.Helper()
	h.Open(func() fyne.CanvasObject {
		h.settings = New(h)
		return h.settings.Content
	})
	h.settings.Connected()
	h.Wait()
}

func TestSettingsSurviveRestart(t *testing.T) {
	h := newHost(t)
	st := h.settings
	st.privacy.SetChecked(true)
	st.size.SetSelected("100x180")
	st.offX.SetText("1.5")
	st.token.SetText("new-token-value")
	st.Language.SetSelected("English")
	st.carSel[printdata.SOP] = "1274"
	test.Tap(st.Save)
	h.Wait()
	if st.Note.Text == "" {
		t.Fatal("no confirmation")
	}
	if h.Tr().Lang() != settings.English {
		t.Error("the language did not switch on save")
	}
	b, err := os.ReadFile(filepath.Join(h.Dir, "settings.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "new-token-value") || strings.Contains(string(b), jostest.DemoAppSecret) {
		t.Fatal("settings.json holds a secret")
	}
	h.Close()

	h.open() // a restart: the tabs on the same settings directory
	s2 := h.settings
	if !s2.privacy.Checked || s2.size.Selected != "100x180" || s2.offX.Text != "1.5" ||
		s2.token.Text != "new-token-value" || s2.appSecret.Text != jostest.DemoAppSecret ||
		s2.Language.Selected != "English" || s2.carSel[printdata.SOP] != "1274" {
		t.Fatalf("after restart: privacy %v size %q offset %q token ok %v language %q SOP carrier %q",
			s2.privacy.Checked, s2.size.Selected, s2.offX.Text, s2.token.Text == "new-token-value", s2.Language.Selected, s2.carSel[printdata.SOP])
	}
	if h.Tr().Lang() != settings.English || s2.Save.Text != "Save settings" {
		t.Fatalf("the tabs are not in English after restart: %q", s2.Save.Text)
	}
}

func TestTestPrint(t *testing.T) {
	h := newHost(t)
	test.Tap(h.settings.TestBtn)
	h.Wait()
	got := h.PDFs()
	if len(got) != 1 || !strings.Contains(got[0], "test-label") {
		t.Fatalf("test print wrote %v", got)
	}
	b, err := os.ReadFile(filepath.Join(h.Labels, got[0]))
	if err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("not a PDF: %v", err)
	}
	if !strings.Contains(h.settings.Note.Text, "测试页已发送") {
		t.Errorf("note %q", h.settings.Note.Text)
	}
}

// TestRateSetting: the calls per second typed in the settings are saved as jos_rate and the
// station reconnects with them; a word is refused with the field's own message.
func TestRateSetting(t *testing.T) {
	h := newHost(t)
	st := h.settings
	if st.rate.Text != "" || !strings.Contains(st.rate.PlaceHolder, "默认 50") {
		t.Fatalf("rate field %q, placeholder %q", st.rate.Text, st.rate.PlaceHolder)
	}
	st.rate.SetText("20")
	test.Tap(st.Save)
	h.Wait()
	if !strings.Contains(st.Note.Text, "重新连接") {
		t.Errorf("note %q: a new rate needs a new connection", st.Note.Text)
	}
	b, err := os.ReadFile(filepath.Join(h.Dir, "settings.json"))
	if err != nil || !strings.Contains(string(b), `"jos_rate": 20`) {
		t.Fatalf("settings.json: %s %v", b, err)
	}
	h.Close()
	h.open()
	if h.settings.rate.Text != "20" {
		t.Errorf("after restart the rate shows %q", h.settings.rate.Text)
	}
}

// The warehouse journal's URL is saved in the settings file, its password only with the
// secrets (even when pasted inside the URL), and the station name with the settings.
func TestWarehouseJournalSettings(t *testing.T) {
	h := newHost(t)
	st := h.settings
	st.Journal.SetText("postgres://station:db-pw-123@db-host:5432/warehouse")
	st.StationName.SetText("打包台 3")
	test.Tap(st.Save)
	h.Wait()
	b, err := os.ReadFile(filepath.Join(h.Dir, "settings.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "db-pw-123") || !strings.Contains(string(b), "postgres://station@db-host:5432/warehouse") ||
		!strings.Contains(string(b), "打包台 3") {
		t.Fatalf("settings.json:\n%s", b)
	}
	h.Close()
	h.open()
	if s2 := h.settings; s2.JournalPw.Text != "db-pw-123" || s2.Journal.Text != "postgres://station@db-host:5432/warehouse" ||
		s2.StationName.Text != "打包台 3" {
		t.Fatalf("after restart: %q %q ok=%v", s2.Journal.Text, s2.StationName.Text, s2.JournalPw.Text == "db-pw-123")
	}
}
