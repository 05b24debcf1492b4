package office

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"station/jos/jostest"
	"station/ui/uitest"
)

// testHost runs the batch and history tabs on a uitest.Host.
type testHost struct {
	*uitest.Host
	batch   *Batch
	history *History
}

func newHost(t *testing.T, opts ...func(*jostest.Options)) *testHost {
	t.Helper()
	h := &testHost{Host: uitest.NewHost(t, opts...)}
	h.open()
	return h
}

// open starts the tabs on the saved settings, as a window does when it opens.
func (h *testHost) open() {
	h.T.Helper()
	h.Open(func() fyne.CanvasObject {
		h.batch, h.history = NewBatch(h), NewHistory(h)
		return container.NewAppTabs(container.NewTabItem("batch", h.batch.Content),
			container.NewTabItem("history", h.history.Content))
	})
	h.batch.Connected()
	h.Wait()
}
