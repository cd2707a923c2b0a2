package mail

import (
	"fmt"
	"time"

	"github.com/weerbaar/weerbaar/i18n"
)

// The mails a candidate or a referent reads come in Dutch or English
// (issue 14): their data carries Lang ("nl", "en"; empty is Dutch), and
// every sentence goes through tr, whose Dutch text is the key of the
// catalog i18n/en.yaml. Committee and board mails stay Dutch: they never
// set a language. TestMailCatalogKeys reads this package's source and
// fails when a key given to tr has no English.

// tr translates one Dutch sentence of a mail (see i18n.T). Keep nl a
// string literal or constant so the test can find it.
func tr(lang, nl string, args ...any) string { return i18n.T(lang, nl, args...) }

var enMonths = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// dateIn formats a date in Amsterdam time: "5 december 2026" or
// "5 December 2026".
func dateIn(lang string, t time.Time) string {
	if i18n.Normalize(lang) != i18n.EN {
		return DutchDate(t)
	}
	t = inAmsterdam(t)
	return fmt.Sprintf("%d %s %d", t.Day(), enMonths[t.Month()-1], t.Year())
}

// dateTimeIn formats a moment: "5 december 2026 om 14:30 uur" or
// "5 December 2026 at 14:30 (Dutch time)".
func dateTimeIn(lang string, t time.Time) string {
	if i18n.Normalize(lang) != i18n.EN {
		return dutchDateTime(t)
	}
	return dateIn(lang, t) + " at " + inAmsterdam(t).Format("15:04") + " (Dutch time)"
}

// inLang marks a block as written in another language than the mail.
func inLang(b block, lang string) block {
	b.Lang = lang
	return b
}
