package printdata

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // pickUpSign and orderLevelSign are GIFs
	_ "image/jpeg" // generade is a JPEG
	_ "image/png"
	"strings"
)

// ImageLimits bound what an image in the print data may cost to decode. The images JD sends are
// small (a barcode, a sign); the limits exist so that a corrupt or hostile reply cannot make the
// station allocate gigabytes: the pixel size is read from the header and checked before the
// pixels are decoded.
type ImageLimits struct {
	MaxEncoded int // bytes of base64 text
	MaxSide    int // pixels, width and height each
	MaxPixels  int // width × height
}

// DefaultImageLimits: 2 MiB of base64, 4000 px a side, 8 Mpx (32 MB as RGBA at most).
var DefaultImageLimits = ImageLimits{MaxEncoded: 2 << 20, MaxSide: 4000, MaxPixels: 8_000_000}

// ImageError is an image field of the print data that cannot be used.
type ImageError struct {
	OrderID string
	Field   string // generade, pickUpSign, orderLevelSign
	Err     error
}

func (e *ImageError) Error() string {
	return fmt.Sprintf("order %s: %s: %v", e.OrderID, e.Field, e.Err)
}

func (e *ImageError) Unwrap() error { return e.Err }

// ErrImageTooLarge is wrapped when an image exceeds the ImageLimits.
var ErrImageTooLarge = errors.New("image too large")

// decodeImage decodes a base64 image as JOS sends it: standard or URL-safe alphabet, padded or
// not, possibly wrapped in lines or given as a data: URL. An empty string is no image (nil, nil).
func decodeImage(s string, lim ImageLimits) (image.Image, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if len(s) > lim.MaxEncoded {
		return nil, fmt.Errorf("%w: %d bytes of base64, over the limit of %d", ErrImageTooLarge, len(s), lim.MaxEncoded)
	}
	if len(s) >= 5 && strings.EqualFold(s[:5], "data:") {
		_, payload, ok := strings.Cut(s, ",")
		if !ok || !strings.Contains(strings.ToLower(s[:len(s)-len(payload)]), ";base64,") {
			return nil, errors.New("a data: URL that is not base64")
		}
		s = payload
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	s = strings.TrimRight(s, "=")
	enc := base64.RawStdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.RawURLEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("bad base64: %w", err)
	}
	return decodeImageBytes(b, lim)
}

// decodeImageBytes decodes a JPEG, GIF or PNG within the limits.
func decodeImageBytes(b []byte, lim ImageLimits) (image.Image, error) {
	format := sniffFormat(b)
	if format == "" {
		return nil, fmt.Errorf("not a JPEG/GIF/PNG image: starts with % x", b[:min(len(b), 8)])
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("broken %s image: %w", format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("broken %s image: %dx%d pixels", format, cfg.Width, cfg.Height)
	}
	if cfg.Width > lim.MaxSide || cfg.Height > lim.MaxSide || cfg.Width*cfg.Height > lim.MaxPixels {
		return nil, fmt.Errorf("%w: %s of %dx%d pixels, over the limit of %d a side and %d in all",
			ErrImageTooLarge, format, cfg.Width, cfg.Height, lim.MaxSide, lim.MaxPixels)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("broken %s image: %w", format, err)
	}
	if r := img.Bounds(); r.Dx() > lim.MaxSide || r.Dy() > lim.MaxSide || r.Dx()*r.Dy() > lim.MaxPixels {
		return nil, fmt.Errorf("%w: %s decoded to %dx%d pixels", ErrImageTooLarge, format, r.Dx(), r.Dy())
	}
	return img, nil
}

// sniffFormat names the format by its magic bytes, so that the error for a broken image says
// which kind it meant to be.
func sniffFormat(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\xff\xd8")):
		return "JPEG"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "GIF"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG"
	}
	return ""
}

// DecodeImage decodes a base64 image field of any JOS reply as the print data's are decoded
// (see decodeImage), for the other methods that carry one (360buy.order.print's image_data).
func DecodeImage(s string, lim ImageLimits) (image.Image, error) { return decodeImage(s, lim) }
