// Package board is the window's 看板 tab: the day's work of every station and packer on the
// journal, orders per hour as bars, and the open exceptions of the whole warehouse. It draws
// journal.Board and decides nothing.
package board

import (
	"context"
	"fmt"
	"image/color"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"station/explain"
	"station/fulfill"
	"station/journal"
	"station/say"
	"station/ui/i18n"
)

// Host is what the tab needs of the window.
type Host interface {
	Tr() *i18n.Translator
	Do(fn func())
	Go(name string, fn func())
	WithStation(timeout time.Duration, f func(ctx context.Context, st *fulfill.Station) error) error
}

// Tab is the board.
type Tab struct {
	a       Host
	Content fyne.CanvasObject

	title    *widget.Label
	stations *fyne.Container
	packers  *fyne.Container
	Chart    *Chart
	open     *widget.Label
	note     *widget.Label

	// Data is the board on screen (UI goroutine), for tests.
	Data journal.Board
}

// New builds the tab; Refresh fills it.
func New(a Host) *Tab {
	t := &Tab{a: a, title: widget.NewLabel(""), note: widget.NewLabel(""), Chart: NewChart()}
	t.title.TextStyle = fyne.TextStyle{Bold: true}
	t.title.SizeName = theme.SizeNameSubHeadingText
	t.stations = container.NewGridWithColumns(4)
	t.packers = container.NewGridWithColumns(4)
	t.open = widget.NewLabel("")
	t.open.Wrapping = fyne.TextWrapWord
	heads := map[*widget.Label]i18n.Key{}
	head := func(k i18n.Key) *widget.Label {
		l := widget.NewLabel("")
		l.TextStyle = fyne.TextStyle{Bold: true}
		heads[l] = k
		return l
	}
	left := container.NewVBox(head("board.stations"), t.stations, widget.NewSeparator(), head("board.packers"), t.packers)
	right := container.NewBorder(head("board.hours"), nil, nil, nil, t.Chart)
	// The exceptions scroll in a fixed height: a bad day never pushes the window past the screen.
	openScroll := container.NewVScroll(t.open)
	openScroll.SetMinSize(fyne.NewSize(200, 110))
	bottom := container.NewVBox(widget.NewSeparator(), head("board.open"), openScroll)
	body := container.NewBorder(nil, bottom, nil, nil, container.NewGridWithColumns(2, container.NewVScroll(left), right))
	t.Content = container.NewBorder(container.NewBorder(nil, nil, nil, t.note, t.title), nil, nil, nil, body)
	a.Tr().Bind(func() {
		for l, k := range heads {
			l.SetText(a.Tr().T(k))
		}
		t.show()
	})
	return t
}

// Refresh reads today's board from the journal and shows it.
func (t *Tab) Refresh() {
	a := t.a
	a.Go("board", func() {
		var b journal.Board
		err := a.WithStation(10*time.Second, func(ctx context.Context, st *fulfill.Station) (err error) {
			now := time.Now()
			day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
			b, err = st.Journal().Board(ctx, day, day.AddDate(0, 0, 1))
			return err
		})
		a.Do(func() {
			if err != nil {
				t.note.SetText(a.Tr().M(explain.Error(err)))
				return
			}
			t.Data = b
			t.note.SetText(a.Tr().F("board.updated", time.Now().Format("15:04:05")))
			t.show()
		})
	})
}

// Title is the board's heading: the day and the returns received.
func (t *Tab) Title() string { return t.title.Text }

// Show puts b on screen (UI goroutine).
func (t *Tab) Show(b journal.Board) {
	t.Data = b
	t.show()
}

func (t *Tab) show() {
	tr := t.a.Tr()
	b := t.Data
	if b.From.IsZero() {
		t.title.SetText(tr.T("tab.board"))
	} else {
		t.title.SetText(tr.T("tab.board") + " " + b.From.Format("2006-01-02") + "  ·  " + tr.F("board.returns", b.Returns))
	}
	fill := func(c *fyne.Container, rows []journal.BoardRow, nobody i18n.Key) {
		objs := []fyne.CanvasObject{}
		for _, k := range []i18n.Key{"board.col.name", "board.col.printed", "board.col.shipped", "board.col.failed"} {
			l := widget.NewLabel(tr.T(k))
			l.TextStyle = fyne.TextStyle{Bold: true}
			objs = append(objs, l)
		}
		for _, r := range rows {
			name := say.Short(say.Safe(r.Name), 24)
			if name == "" {
				name = tr.T(nobody)
			}
			objs = append(objs, widget.NewLabel(name), widget.NewLabel(strconv.Itoa(r.Printed)),
				widget.NewLabel(strconv.Itoa(r.Shipped)), failedLabel(r.Failed))
		}
		c.Objects = objs
		c.Refresh()
	}
	fill(t.stations, b.Stations, "board.nostation")
	fill(t.packers, b.Packers, "board.nopacker")
	t.Chart.Set(b.Hours)
	if len(b.Open) == 0 {
		t.open.SetText(tr.T("board.open.none"))
		return
	}
	text := tr.F("board.open.count", len(b.Open))
	for i, e := range b.Open {
		if i == 8 {
			text += "\n…"
			break
		}
		text += fmt.Sprintf("\n%s  %s  %s  %s", e.OrderID, tr.T(i18n.Key("state."+string(e.State))), say.Safe(e.Who.Station),
			say.Short(say.Safe(e.Reason), 60))
	}
	t.open.SetText(text)
}

func failedLabel(n int) *widget.Label {
	l := widget.NewLabel(strconv.Itoa(n))
	if n > 0 {
		l.Importance = widget.DangerImportance
	}
	return l
}

// Chart draws each hour's shipped orders as a bar with its count, and the labels printed
// as a thinner bar beside it.
type Chart struct {
	widget.BaseWidget
	hours []journal.HourCount
}

// NewChart is an empty chart.
func NewChart() *Chart {
	c := &Chart{}
	c.ExtendBaseWidget(c)
	return c
}

// Set shows hours.
func (c *Chart) Set(hours []journal.HourCount) {
	c.hours = hours
	c.Refresh()
}

// Hours is what the chart shows (tests).
func (c *Chart) Hours() []journal.HourCount { return c.hours }

func (c *Chart) CreateRenderer() fyne.WidgetRenderer { return &chartRenderer{c: c} }

type chartRenderer struct {
	c    *Chart
	objs []fyne.CanvasObject
	size fyne.Size
}

func (r *chartRenderer) Layout(s fyne.Size) { r.size = s; r.build() }
func (r *chartRenderer) MinSize() fyne.Size { return fyne.NewSize(240, 160) }
func (r *chartRenderer) Refresh()           { r.build(); canvas.Refresh(r.c) }
func (r *chartRenderer) Destroy()           {}

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objs }

// build lays out the bars of the hours from the first with work to the last.
func (r *chartRenderer) build() {
	r.objs = r.objs[:0]
	hours := r.c.hours
	s := r.size
	if len(hours) == 0 || s.Width <= 0 || s.Height <= 0 {
		return
	}
	first, last := hours[0].Start, hours[len(hours)-1].Start
	n := max(int(last.Sub(first)/time.Hour)+1, 12) // at least half a day of slots: one hour is no wall of colour
	peak := 1
	for _, h := range hours {
		peak = max(peak, h.Shipped, h.Printed)
	}
	const labelH = 36
	slot := s.Width / float32(n)
	plot := s.Height - labelH
	shipped := theme.Color(theme.ColorNamePrimary)
	printed := color.NRGBA{R: 0x9e, G: 0x9e, B: 0x9e, A: 0xff}
	for _, h := range hours {
		i := float32(h.Start.Sub(first) / time.Hour)
		x := i * slot
		bar := func(v int, col color.Color, off, w float32) {
			hgt := plot * float32(v) / float32(peak)
			rect := canvas.NewRectangle(col)
			rect.Move(fyne.NewPos(x+off, plot-hgt))
			rect.Resize(fyne.NewSize(w, hgt))
			r.objs = append(r.objs, rect)
		}
		bar(h.Printed, printed, slot*0.15, slot*0.2)
		bar(h.Shipped, shipped, slot*0.4, slot*0.45)
		count := canvas.NewText(strconv.Itoa(h.Shipped), theme.Color(theme.ColorNameForeground))
		count.TextSize = 12
		count.Move(fyne.NewPos(x+slot*0.4, plot+2))
		hour := canvas.NewText(h.Start.Format("15"), theme.Color(theme.ColorNameForeground))
		hour.TextSize = 11
		hour.Move(fyne.NewPos(x+slot*0.4, plot+18))
		r.objs = append(r.objs, count, hour)
	}
}
