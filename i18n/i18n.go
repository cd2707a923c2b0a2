// Package i18n translates the Dutch texts of the pages and mails a candidate
// (or a referent) reads into English. The Dutch text is the key, as in
// gettext: templates keep their Dutch words inside {{t "..."}}, so a page
// reads the same in the source as on screen, and a missing translation
// falls back to Dutch instead of a key name.
//
// Committee and board pages stay Dutch: the committee reads findings in
// Dutch (issue 14), and those pages never call the English catalog.
package i18n

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Languages.
const (
	NL = "nl"
	EN = "en"
)

// Languages lists the languages a candidate can choose, in display order.
var Languages = []string{NL, EN}

//go:embed en.yaml
var enYAML []byte

var catalog = sync.OnceValues(func() (map[string]string, error) {
	m := map[string]string{}
	if err := yaml.Unmarshal(enYAML, &m); err != nil {
		return nil, fmt.Errorf("i18n/en.yaml: %w", err)
	}
	for nl, en := range m {
		if strings.TrimSpace(en) == "" {
			return nil, fmt.Errorf("i18n/en.yaml: %q has no English", nl)
		}
	}
	return m, nil
})

// Check loads the catalog; call it at start so a broken file stops the
// service instead of showing Dutch to an English reader.
func Check() error {
	_, err := catalog()
	return err
}

// Normalize maps any input ("EN", "en-GB", "") to a supported language.
func Normalize(lang string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(lang)), "en") {
		return EN
	}
	return NL
}

// T returns the text in lang; args are applied with fmt.Sprintf to the
// chosen text (so both languages carry the same verbs in the same order).
func T(lang, nl string, args ...any) string {
	s := nl
	if Normalize(lang) == EN {
		if m, err := catalog(); err == nil {
			if en, ok := m[nl]; ok {
				s = en
			}
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether nl has an English translation (for tests).
func Has(nl string) bool {
	m, err := catalog()
	if err != nil {
		return false
	}
	_, ok := m[nl]
	return ok
}

// Keys returns every Dutch text of the catalog, sorted (for tests).
func Keys() []string {
	m, _ := catalog()
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
