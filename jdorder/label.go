package jdorder

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"strings"

	"golang.org/x/net/html"

	"station/jos"
	"station/printdata"
	"station/say"
)

// JDLabel is JD's own waybill for an order (360buy.order.print): for comparing with the
// station's label, never for printing.
type JDLabel struct {
	OrderID string
	// HTML is the page with its barcode filled in from image_data, as JD asks callers to do.
	HTML []byte
	// Lines is the page's text, one table row or paragraph a line, made safe for a screen.
	Lines   []string
	Barcode image.Image // nil when JD sent none (SOP orders)
}

type labelReply struct {
	Result *struct {
		HTML  jos.Str `json:"html_content"`
		Image jos.Str `json:"image_data"`
	} `json:"print_result"`
}

// maxLabelHTML bounds JD's page: a label is a few kilobytes.
const maxLabelHTML = 2 << 20

// JDLabel fetches JD's label of the order.
func (s *Service) JDLabel(ctx context.Context, orderID string) (JDLabel, error) {
	id, err := clean(orderID)
	if err != nil {
		return JDLabel{}, err
	}
	var r labelReply
	if err := s.c.Read(ctx, MethodJDLabel, orderIDParam{id}, &r); err != nil {
		return JDLabel{}, wrap(id, MethodJDLabel, err)
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("order %s: %s: %w", id, MethodJDLabel, &jos.Error{Method: MethodJDLabel, Kind: jos.KindMalformed,
			Err: fmt.Errorf(format, a...)})
	}
	if r.Result == nil || strings.TrimSpace(string(r.Result.HTML)) == "" {
		return JDLabel{}, bad("the reply has no html_content")
	}
	page, err := decodePage(string(r.Result.HTML))
	if err != nil {
		return JDLabel{}, bad("html_content: %v", err)
	}
	l := JDLabel{OrderID: id}
	imageData := strings.TrimSpace(string(r.Result.Image))
	if imageData != "" {
		if l.Barcode, err = printdata.DecodeImage(imageData, printdata.DefaultImageLimits); err != nil {
			return JDLabel{}, bad("image_data: %v", err)
		}
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return JDLabel{}, bad("html_content is not HTML: %v", err)
	}
	if imageData != "" {
		fillBarcode(doc, imageData)
	}
	var out bytes.Buffer
	if err := html.Render(&out, doc); err != nil {
		return JDLabel{}, bad("html_content: %v", err)
	}
	l.HTML, l.Lines = out.Bytes(), textLines(doc)
	return l, nil
}

// decodePage reads html_content: base64 as the API sends it (JD's SDKs decode it), or the
// page itself when a gateway already did.
func decodePage(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxLabelHTML*4/3+4 {
		return nil, fmt.Errorf("%d bytes, more than a label's page can be", len(s))
	}
	if strings.HasPrefix(s, "<") {
		return []byte(s), nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("not base64: %w", err)
	}
	return b, nil
}

// fillBarcode puts the barcode into the page's first image without a source.
func fillBarcode(n *html.Node, data string) bool {
	if n.Type == html.ElementNode && n.Data == "img" {
		for i, a := range n.Attr {
			if a.Key == "src" && strings.TrimSpace(a.Val) == "" {
				n.Attr[i].Val = "data:image/" + imageKind(data) + ";base64," + data
				return true
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if fillBarcode(c, data) {
			return true
		}
	}
	return false
}

func imageKind(b64 string) string {
	switch {
	case strings.HasPrefix(b64, "/9j/"):
		return "jpeg"
	case strings.HasPrefix(b64, "R0lG"):
		return "gif"
	}
	return "png"
}

// textLines is the page's visible text: a line per table row, paragraph, heading or <br>.
func textLines(doc *html.Node) []string {
	var lines []string
	var cur []string
	flush := func() {
		if line := strings.Join(cur, "  "); strings.TrimSpace(line) != "" {
			lines = append(lines, say.Plain(line))
		}
		cur = nil
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "head"):
			return
		case n.Type == html.TextNode:
			if t := strings.Join(strings.Fields(n.Data), " "); t != "" {
				cur = append(cur, t)
			}
		case n.Type == html.ElementNode && n.Data == "br":
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "tr", "p", "div", "h1", "h2", "h3", "li":
				flush()
			}
		}
	}
	walk(doc)
	flush()
	return lines
}
