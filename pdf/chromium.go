// Package pdf prints HTML to PDF with headless Chromium (chromedp), for
// the committee's advice report and the board's summary (issue 13, part
// 4). Each print starts a fresh browser with a throw-away profile, so no
// candidate's page stays in a browser between prints; scripts are off and
// every network request is blocked: the HTML must carry its own styles.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// DefaultChromium is where Debian's chromium package installs the browser.
const DefaultChromium = "/usr/bin/chromium"

// DefaultTimeout bounds one print: starting Chromium and printing.
const DefaultTimeout = 30 * time.Second

// maxParallel is how many browsers may print at once (each takes a few
// hundred MB): more requests wait for a turn within their timeout.
const maxParallel = 2

// ErrUnavailable: no Chromium is configured or it is not executable.
var ErrUnavailable = errors.New("pdf: Chromium is not available")

// ErrBusy: the print did not get a turn or did not finish in time.
var ErrBusy = errors.New("pdf: printing took too long")

// Printer prints HTML to PDF.
type Printer struct {
	path    string
	timeout time.Duration
	turns   chan struct{}
}

// New returns a printer with the Chromium at path ("" for none). A zero
// timeout means DefaultTimeout.
func New(path string, timeout time.Duration) *Printer {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Printer{path: path, timeout: timeout, turns: make(chan struct{}, maxParallel)}
}

// Executable reports whether path is an executable file.
func Executable(path string) bool {
	if path == "" {
		return false
	}
	st, err := os.Stat(path)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// Available reports whether the printer can print (checked each time: a
// browser installed or removed later counts).
func (p *Printer) Available() bool { return p != nil && Executable(p.path) }

// Print renders the HTML document as an A4 PDF (the page's own @page
// rules decide the size and margins).
func (p *Printer) Print(ctx context.Context, html []byte) ([]byte, error) {
	if !p.Available() {
		return nil, ErrUnavailable
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	select {
	case p.turns <- struct{}{}:
		defer func() { <-p.turns }()
	case <-ctx.Done():
		return nil, ErrBusy
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(p.path),
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// Off the network: no component updates, sync or probes.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-extensions", true),
	)
	if os.Geteuid() == 0 {
		// Chromium refuses to sandbox itself as root (containers); the
		// page it prints is our own, with scripts off and no network.
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel() // also waits for the process to exit
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	out, err := printHTML(bctx, string(html))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ErrBusy
		}
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return out, nil
}

func printHTML(ctx context.Context, html string) ([]byte, error) {
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		return nil, err
	}
	block := []*network.BlockPattern{{URLPattern: "*://*:*/*", Block: true}}
	if _, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: block}); err != nil {
		return nil, err
	}
	tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(ctx, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: html}); err != nil {
		return nil, err
	}
	yes := true
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PrintBackground: &yes, PreferCSSPageSize: &yes,
		GenerateTaggedPDF: &yes, GenerateDocumentOutline: &yes})
	if err != nil {
		return nil, err
	}
	return res.Data, nil
}
