// Package smtptest runs an in-process SMTP server for tests. It accepts
// any sender, recipient and login, keeps every message in memory and can
// simulate failures: refused recipients, temporary DATA errors and a server
// that is down.
package smtptest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message as the server got it.
type Received struct {
	From     string   // envelope sender (MAIL FROM)
	To       []string // envelope recipients (RCPT TO)
	AuthUser string   // user name of SMTP AUTH, "" without AUTH
	Header   mail.Header
	Subject  string // decoded
	Text     string // first text/plain part, decoded, line ends as "\n"
	HTML     string // first text/html part, decoded, line ends as "\n"
	Raw      []byte
}

// Server is an in-process SMTP server (github.com/emersion/go-smtp) on
// 127.0.0.1 with a random port.
type Server struct {
	addr string

	mu          sync.Mutex
	srv         *smtp.Server
	ln          net.Listener
	msgs        []Received
	rejectCode  int
	rejectMsg   string
	tempRejects int
}

// Start starts a server; it stops at t.Cleanup.
func Start(t testing.TB) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s := &Server{addr: l.Addr().String()}
	s.serve(l)
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) serve(l net.Listener) {
	srv := smtp.NewServer(backend{s})
	srv.Addr = s.addr
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0)
	s.mu.Lock()
	s.srv, s.ln = srv, l
	s.mu.Unlock()
	go srv.Serve(l) //nolint:errcheck // returns ErrServerClosed on Stop
}

// URL returns "smtp://127.0.0.1:PORT?tls=none".
func (s *Server) URL() string { return "smtp://" + s.addr + "?tls=none" }

// Addr returns "127.0.0.1:PORT".
func (s *Server) Addr() string { return s.addr }

// Messages returns a copy of the received messages, in arrival order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Received, len(s.msgs))
	copy(out, s.msgs)
	return out
}

// WaitFor waits until at least n messages arrived and returns them; it fails
// the test after timeout.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("smtptest: got %d message(s) within %v, want at least %d", len(msgs), timeout, n)
			return msgs
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Stop closes the listener and all connections: new connections are refused,
// as when the SMTP server is down. Stopping twice is fine.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, l := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// Close the listener ourselves too: srv.Close misses it when Serve
		// has not registered it yet.
		l.Close()
		srv.Close()
	}
}

// Restart listens again on the same address after Stop.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	var (
		l   net.Listener
		err error
	)
	for range 100 { // the port may need a moment to become free
		if l, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("smtptest: listen again on %s: %v", s.addr, err)
	}
	s.serve(l)
}

// RejectRecipients makes RCPT TO answer with code and msg from now on
// (550 for an unknown mailbox, 450 for a temporary problem). Code 0 accepts
// recipients again.
func (s *Server) RejectRecipients(code int, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectCode, s.rejectMsg = code, msg
}

// RejectTemporarily makes the next n DATA commands answer 451.
func (s *Server) RejectTemporarily(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tempRejects = n
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Server
	user string
	from string
	to   []string
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, _ string) error {
		ss.user = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from, ss.to = from, nil
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	code, msg := ss.s.rejectCode, ss.s.rejectMsg
	ss.s.mu.Unlock()
	if code != 0 {
		if msg == "" {
			msg = "recipient rejected"
		}
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCodeNotSet, Message: msg}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.tempRejects > 0 {
		ss.s.tempRejects--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "temporary failure, try again later"}
	}
	rec := Received{From: ss.from, To: append([]string(nil), ss.to...), AuthUser: ss.user, Raw: raw}
	if err := parse(&rec); err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "cannot parse message: " + err.Error()}
	}
	ss.s.msgs = append(ss.s.msgs, rec)
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

// parse fills Header, Subject, Text and HTML from rec.Raw.
func parse(rec *Received) error {
	m, err := mail.ReadMessage(bytes.NewReader(rec.Raw))
	if err != nil {
		return err
	}
	rec.Header = m.Header
	dec := new(mime.WordDecoder)
	if rec.Subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		return fmt.Errorf("subject: %w", err)
	}
	return walk(rec, textproto.MIMEHeader(m.Header), m.Body)
}

// walk decodes one MIME entity and descends into multipart ones.
func walk(rec *Received, h textproto.MIMEHeader, body io.Reader) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("content-type %q: %w", ct, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walk(rec, part.Header, part); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // ignores line breaks
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("%s body: %w", mt, err)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	switch mt {
	case "text/plain":
		if rec.Text == "" {
			rec.Text = text
		}
	case "text/html":
		if rec.HTML == "" {
			rec.HTML = text
		}
	}
	return nil
}
