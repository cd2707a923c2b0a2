// Package mail builds and sends Weerbaar's e-mails: Dutch, and for a
// candidate who chose English (and that candidate's referents) English
// (lang.go, issue 14). Committee, board and account mails stay Dutch.
//
// No mail ever carries answers, levels, flags, VOG details, reasons or
// outcomes: only names, dates, the party name and links. The templates in
// templates.go are the only place where mail text is written.
package mail

import (
	"context"
	"errors"
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Amsterdam also on hosts without zoneinfo
)

// Message is one e-mail. Text is required; when HTML is set the mail is sent
// as multipart/alternative with both parts.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
}

// Sender delivers one message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// PermanentError means the server refused the message for good (an SMTP 5xx
// reply such as "550 unknown mailbox", or a message that can never be sent,
// such as an invalid recipient address; Code is 0 then). The caller must not
// retry it.
type PermanentError struct {
	Code int
	Err  error
}

func (e *PermanentError) Error() string {
	if e.Code == 0 {
		return fmt.Sprintf("mail: permanent failure: %v", e.Err)
	}
	return fmt.Sprintf("mail: permanent failure (SMTP %d): %v", e.Code, e.Err)
}

func (e *PermanentError) Unwrap() error { return e.Err }

// IsPermanent reports whether err (or an error it wraps) is a *PermanentError.
func IsPermanent(err error) bool {
	var pe *PermanentError
	return errors.As(err, &pe)
}

var nlMonths = []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return nil
	}
	return loc
}()

func inAmsterdam(t time.Time) time.Time {
	if amsterdam != nil {
		return t.In(amsterdam)
	}
	return t
}

// DutchDate formats a date as "5 december 2026" in Dutch local time
// (Europe/Amsterdam).
func DutchDate(t time.Time) string {
	t = inAmsterdam(t)
	return fmt.Sprintf("%d %s %d", t.Day(), nlMonths[t.Month()-1], t.Year())
}

// dutchDateTime formats a moment as "5 december 2026 om 14:30 uur".
func dutchDateTime(t time.Time) string {
	return DutchDate(t) + " om " + inAmsterdam(t).Format("15:04") + " uur"
}
