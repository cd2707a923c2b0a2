package web

import (
	"html/template"
	"strings"

	"github.com/weerbaar/weerbaar/i18n"
)

var enMonths = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// langFuncs are the template functions that depend on the page's
// language: t (translate a Dutch text, see package i18n) and the dates.
func langFuncs(lang string) template.FuncMap {
	months, at := nlMonths, " om "
	if lang == i18n.EN {
		months, at = enMonths, " at "
	}
	return template.FuncMap{
		"t": func(nl string, args ...any) string { return i18n.T(lang, nl, args...) },
		"date": func(t any) string {
			tt, ok := deref(t)
			if !ok {
				return ""
			}
			tt = amsterdam(tt)
			return strings.Join([]string{itoa(tt.Day()), months[tt.Month()-1], itoa(tt.Year())}, " ")
		},
		"datetime": func(t any) string {
			tt, ok := deref(t)
			if !ok {
				return ""
			}
			tt = amsterdam(tt)
			return itoa(tt.Day()) + " " + months[tt.Month()-1] + " " + itoa(tt.Year()) + at + tt.Format("15:04")
		},
	}
}

// tr translates a Dutch text of Go code for the page's language.
func (v View) tr(nl string, args ...any) string { return i18n.T(v.Lang, nl, args...) }
