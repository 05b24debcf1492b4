package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The README's Development section names every package, and the arrows point down: nothing
// but the binary imports the window or the command line.
func TestLayoutAsTheREADMEDrawsIt(t *testing.T) {
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, dev, ok := strings.Cut(string(readme), "## Development")
	if !ok {
		t.Fatal("README has no Development section")
	}
	imports := map[string][]string{} // package dir → station packages its non-test files import
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "bin") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		imports[rel] = append(imports[rel], "")
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if s, ok := strings.CutPrefix(p, "station/"); ok {
				imports[rel] = append(imports[rel], s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir, deps := range imports {
		named := strings.Contains(dev, "\n"+dir+"/ ") || strings.HasPrefix(dir, "internal/") && strings.Contains(dev, "internal/ ") && strings.Contains(dev, strings.TrimPrefix(dir, "internal/")) ||
			strings.HasSuffix(dir, "/usbtest") && strings.Contains(dev, "usbtest fakes it")
		if !named {
			t.Errorf("README's Development section does not name %s/", dir)
		}
		for _, dep := range deps {
			top := strings.SplitN(dep, "/", 2)[0]
			upward := dep == "cmd/station" || strings.HasPrefix(dep, "internal/cli") && !strings.HasPrefix(dir, "internal/cli") && dir != "cmd/station" ||
				top == "ui" && dir != "cmd/station" && !strings.HasPrefix(dir, "ui")
			if upward {
				t.Errorf("%s imports station/%s: only the binary may", dir, dep)
			}
		}
	}
}
