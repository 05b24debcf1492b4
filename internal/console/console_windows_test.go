package console

import (
	"testing"

	"golang.org/x/sys/windows"
)

// Run under Wine by make windows-test with a console (a Chinese one starts at code page 936):
// while the CLI runs the console takes UTF-8, and afterwards it has its own code page back.
func TestUTF8WhileRunning(t *testing.T) {
	before, err := windows.GetConsoleOutputCP()
	if err != nil {
		t.Skip("no console:", err)
	}
	if err := windows.SetConsoleOutputCP(936); err != nil {
		t.Fatal(err)
	}
	defer windows.SetConsoleOutputCP(before)
	restore := UTF8()
	if cp, _ := windows.GetConsoleOutputCP(); cp != cpUTF8 {
		t.Errorf("while running, the output code page is %d, want %d", cp, cpUTF8)
	}
	if cp, _ := windows.GetConsoleCP(); cp != cpUTF8 {
		t.Errorf("while running, the input code page is %d, want %d", cp, cpUTF8)
	}
	restore()
	if cp, _ := windows.GetConsoleOutputCP(); cp != 936 {
		t.Errorf("after the run, the output code page is %d, want 936 back", cp)
	}
}
