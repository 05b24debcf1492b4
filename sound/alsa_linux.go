//go:build linux && !android

package sound

// #cgo pkg-config: alsa
// #include <alsa/asoundlib.h>
//
// static void quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {}
// static void silenceALSA(void) { snd_lib_error_set_handler(quiet); }
import "C"

// quietDevice stops ALSA printing its own diagnostics to stderr (a machine without a sound card
// otherwise prints a screen of "ALSA lib … Unknown PCM default" at start): OpenDevice's error
// says what is wrong, once, in the station's words.
func quietDevice() { C.silenceALSA() }
