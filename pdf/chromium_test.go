package pdf_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/testenv"
	"github.com/weerbaar/weerbaar/pdf"
)

func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = pdf.DefaultChromium
	}
	if !pdf.Executable(path) {
		testenv.Skip(t, "Chromium ("+path+")", "install it (apt-get install chromium) or point $CHROMIUM at a Chrome/Chromium binary")
	}
	return path
}

// TestPrint: a page becomes a real PDF.
func TestPrint(t *testing.T) {
	p := pdf.New(chromium(t), 30*time.Second)
	out, err := p.Print(context.Background(), []byte(`<!DOCTYPE html><html lang="nl"><head><style>@page{size:A4}</style></head><body><h1>Adviesrapport</h1></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", out[:min(len(out), 20)])
	}
}

// TestUnavailable: without a browser the printer says so, without trying.
func TestUnavailable(t *testing.T) {
	for _, path := range []string{"", filepath.Join(t.TempDir(), "geen-chromium"), t.TempDir()} {
		p := pdf.New(path, time.Second)
		if p.Available() {
			t.Fatalf("%q: available", path)
		}
		if _, err := p.Print(context.Background(), []byte("<p>x</p>")); !errors.Is(err, pdf.ErrUnavailable) {
			t.Fatalf("%q: %v, want ErrUnavailable", path, err)
		}
	}
}
