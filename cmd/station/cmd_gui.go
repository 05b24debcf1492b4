package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"station/internal/cli"
	"station/settings"
	"station/ui"
)

func init() {
	cli.Register("gui", cli.Command{
		Summary: "open the station window (the default command)\n\n" +
			"The window uses the saved settings (Settings tab; stored in the user's config directory, the\n" +
			"secrets in the OS keyring). With -demo it runs on the built-in simulator with a temporary PDF\n" +
			"folder and a temporary journal (or -journal PATH).",
		Run: runGUI,
	})
}

func runGUI(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("gui", "[-config DIR]")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	store, err := settings.Open(e.ConfigDir())
	if err != nil {
		return err
	}
	fa := fyneapp.NewWithID("io.github.station.waybill")
	w, err := ui.New(fa, ui.Options{
		Store:       store,
		Flags:       e.Flags(),
		Logger:      slog.New(slog.NewTextHandler(e.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		StatusEvery: 10 * time.Second,
		SignIn:      true, // the packer's 工号 first, unless -packer names them
	})
	if err != nil {
		return err
	}
	// Ctrl+C or SIGTERM closes the window like its close button. Should the window not close
	// (a stuck driver), the process ends anyway: the journal is built to survive that.
	stop := context.AfterFunc(ctx, func() {
		fyne.Do(fa.Quit)
		time.AfterFunc(quitGrace, func() {
			fmt.Fprintf(e.Stderr, "station: the window did not close within %v of the signal; exiting\n", quitGrace)
			os.Exit(1)
		})
	})
	defer stop()
	w.Run()
	w.Close() // after Quit the window's close callback does not run
	return nil
}

// quitGrace is how long the window may take to close after Ctrl+C or SIGTERM.
const quitGrace = 15 * time.Second
