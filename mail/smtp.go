package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base32"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// sendTimeout caps one Send: dialing, TLS, AUTH and the SMTP dialogue.
const sendTimeout = 15 * time.Second

// tlsMode is how the SMTP connection is encrypted.
type tlsMode int

const (
	tlsOpportunistic tlsMode = iota // STARTTLS when the server offers it
	tlsRequired                     // STARTTLS or fail
	tlsNone                         // plain text (local test servers only)
	tlsImplicit                     // smtps://: TLS from the first byte
)

func (m tlsMode) String() string {
	switch m {
	case tlsRequired:
		return "starttls-required"
	case tlsNone:
		return "none"
	case tlsImplicit:
		return "implicit"
	default:
		return "starttls-opportunistic"
	}
}

// SMTP sends through an SMTP server with github.com/wneessen/go-mail.
// It is safe for concurrent use; every Send opens its own connection.
type SMTP struct {
	host     string
	port     int
	tls      tlsMode
	user     string
	pass     string
	from     *netmail.Address
	msgIDDom string // domain part of Message-ID, from MAIL_FROM
}

var _ Sender = (*SMTP)(nil)

// NewSMTP parses SMTP_URL and MAIL_FROM.
//
//	smtp://[user:pass@]host[:port]               STARTTLS when offered (default port 587)
//	smtp://[user:pass@]host[:port]?tls=required  refuse a server without STARTTLS
//	smtp://host[:port]?tls=none                  no TLS at all (local test servers only)
//	smtps://[user:pass@]host[:port]              implicit TLS (default port 465)
//
// With user:pass the client authenticates with SMTP AUTH PLAIN (LOGIN when
// the server only offers that, otherwise auto-discovery); it never sends a
// password over an unencrypted connection to a host other than localhost.
// from may carry a display name: "Weerbaar <noreply@example.nl>".
func NewSMTP(rawURL, from string) (*SMTP, error) {
	rawURL = strings.TrimSpace(rawURL)
	if rawURL == "" {
		return nil, errors.New("SMTP_URL is empty; use smtp://host:port or smtps://host:port")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse echoes the input, which may hold a password.
		return nil, errors.New("SMTP_URL is not a valid URL; use smtp://[user:pass@]host:port")
	}
	s := &SMTP{}
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		s.tls, s.port = tlsOpportunistic, 587
	case "smtps":
		s.tls, s.port = tlsImplicit, 465
	case "":
		return nil, errors.New("SMTP_URL has no scheme; use smtp:// or smtps://")
	default:
		return nil, fmt.Errorf("SMTP_URL: unknown scheme %q; use smtp:// or smtps://", u.Scheme)
	}
	if u.Opaque != "" {
		return nil, errors.New("SMTP_URL: missing host; use smtp://host:port")
	}
	s.host = u.Hostname()
	if s.host == "" {
		return nil, errors.New("SMTP_URL: missing host; use smtp://host:port")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("SMTP_URL: invalid port %q", p)
		}
		s.port = n
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("SMTP_URL: unexpected path %q; use smtp://host:port", u.Path)
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return nil, fmt.Errorf("SMTP_URL: unknown parameter %q; only ?tls=required or ?tls=none", k)
		}
	}
	switch v := strings.ToLower(q.Get("tls")); v {
	case "":
	case "required":
		if s.tls == tlsOpportunistic {
			s.tls = tlsRequired
		}
	case "none":
		if s.tls == tlsImplicit {
			return nil, errors.New("SMTP_URL: smtps:// always uses TLS; tls=none is only allowed with smtp://")
		}
		s.tls = tlsNone
	default:
		return nil, fmt.Errorf("SMTP_URL: unknown tls=%q; use tls=required or tls=none", v)
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
		if s.user == "" {
			return nil, errors.New("SMTP_URL: empty user name; use smtp://user:pass@host:port")
		}
		if s.pass == "" {
			return nil, errors.New("SMTP_URL: user without password; use smtp://user:pass@host:port")
		}
	}

	from = strings.TrimSpace(from)
	if from == "" {
		return nil, errors.New(`MAIL_FROM is empty; use an address like noreply@example.nl or "Weerbaar <noreply@example.nl>"`)
	}
	addr, err := netmail.ParseAddress(from)
	if err != nil || strings.ContainsAny(from, "\r\n") {
		return nil, fmt.Errorf(`MAIL_FROM: %q is not an e-mail address; use noreply@example.nl or "Weerbaar <noreply@example.nl>"`, from)
	}
	s.from = addr
	s.msgIDDom = addr.Address[strings.LastIndexByte(addr.Address, '@')+1:]
	return s, nil
}

// String describes the sender for logs, without credentials.
func (s *SMTP) String() string {
	auth := "no auth"
	if s.user != "" {
		auth = "auth as " + s.user
	}
	return fmt.Sprintf("smtp %s (tls %s, %s, from %s)", net.JoinHostPort(s.host, strconv.Itoa(s.port)), s.tls, auth, s.from.Address)
}

// Send delivers m. A 5xx reply from the server gives a *PermanentError;
// connection errors, timeouts and 4xx replies give a plain (temporary)
// error that the caller may retry. Send gives up after 15 seconds or when
// ctx ends, whichever comes first.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()

	// Our own dialer keeps the raw connection, so that a cancelled ctx can
	// close it and abort a stuck SMTP dialogue (go-mail only uses ctx to dial).
	var (
		mu   sync.Mutex
		stop []func() bool
	)
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, f := range stop {
			f()
		}
	}()
	dial := func(dctx context.Context, network, _ string) (net.Conn, error) {
		addr := net.JoinHostPort(s.host, strconv.Itoa(s.port))
		var d net.Dialer
		raw, err := d.DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		stop = append(stop, context.AfterFunc(ctx, func() { raw.Close() }))
		mu.Unlock()
		if s.tls != tlsImplicit {
			return raw, nil
		}
		tc := tls.Client(raw, &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12})
		if err := tc.HandshakeContext(dctx); err != nil {
			raw.Close()
			return nil, err
		}
		return tc, nil
	}

	opts := []gomail.Option{
		gomail.WithPort(s.port),
		gomail.WithTimeout(sendTimeout),
		gomail.WithDialContextFunc(dial),
	}
	switch s.tls {
	case tlsOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case tlsRequired:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case tlsNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case tlsImplicit:
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.user != "" {
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	client, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}

	err = client.DialAndSendWithContext(ctx, msg)
	if msg.IsDelivered() {
		// The server accepted the message; a failing QUIT does not matter.
		return nil
	}
	if err == nil {
		return errors.New("smtp: message not delivered")
	}
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("smtp %s: %w (%v)", s.addr(), cerr, err)
	}
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		return &PermanentError{Code: se.ErrorCode(), Err: err}
	}
	return fmt.Errorf("smtp %s: %w", s.addr(), err)
}

func (s *SMTP) addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

// build turns m into a go-mail message.
func (s *SMTP) build(m Message) (*gomail.Msg, error) {
	to := strings.TrimSpace(m.To)
	if to == "" {
		return nil, &PermanentError{Err: errors.New("message has no recipient")}
	}
	rcpt, err := netmail.ParseAddress(to)
	if err != nil || strings.ContainsAny(to, "\r\n") {
		return nil, &PermanentError{Err: fmt.Errorf("invalid recipient address: %w", errOr(err, "contains a line break"))}
	}
	if m.Text == "" {
		return nil, &PermanentError{Err: errors.New("message has no text")}
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	msg.ToMailAddress(rcpt)
	msg.Subject(oneLine(m.Subject))
	msg.SetMessageIDWithValue(randomID() + "@" + s.msgIDDom)
	msg.SetDate()
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

func errOr(err error, msg string) error {
	if err != nil {
		return err
	}
	return errors.New(msg)
}

func randomID() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// Redacted returns SMTP_URL without the password, for logs.
func Redacted(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return "(invalid SMTP_URL)"
	}
	return u.Redacted()
}
