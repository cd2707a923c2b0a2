package i18n

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Translate returns a finished Dutch text in lang. Unlike T it takes a
// text that may already have its arguments filled in (a refusal from
// screening.Explain, a flash message read back from its cookie): it is
// looked up as is first, then against the catalog's keys with verbs
// ("… (status: %s).") whose Dutch around the verbs matches; the matched
// arguments go into the English in the same order. Unknown text stays Dutch.
func Translate(lang, nl string) string {
	if Normalize(lang) != EN || nl == "" {
		return nl
	}
	m, err := catalog()
	if err != nil {
		return nl
	}
	if en, ok := m[nl]; ok {
		return en
	}
	pats, err := patterns()
	if err != nil {
		return nl
	}
	for _, p := range pats {
		sub := p.re.FindStringSubmatch(nl)
		if sub == nil {
			continue
		}
		args := make([]any, len(sub)-1)
		for i, s := range sub[1:] {
			args[i] = s
		}
		return fmt.Sprintf(p.en, args...)
	}
	return nl
}

type pattern struct {
	re *regexp.Regexp
	en string
}

var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[vsdqf]`)

var patterns = sync.OnceValues(func() ([]pattern, error) {
	m, err := catalog()
	if err != nil {
		return nil, err
	}
	var out []pattern
	for _, k := range Keys() {
		if !verb.MatchString(k) {
			continue
		}
		var b strings.Builder
		b.WriteString("^")
		last := 0
		for _, loc := range verb.FindAllStringIndex(k, -1) {
			b.WriteString(regexp.QuoteMeta(strings.ReplaceAll(k[last:loc[0]], "%%", "%")))
			b.WriteString("(.+?)")
			last = loc[1]
		}
		b.WriteString(regexp.QuoteMeta(strings.ReplaceAll(k[last:], "%%", "%")))
		b.WriteString("$")
		re, err := regexp.Compile(b.String())
		if err != nil {
			return nil, fmt.Errorf("i18n: key %q: %w", k, err)
		}
		// The English takes the arguments as strings, whatever its verbs.
		out = append(out, pattern{re: re, en: verb.ReplaceAllString(m[k], "%s")})
	}
	return out, nil
})
