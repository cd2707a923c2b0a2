package questionnaires

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// The dilemma bank (issue 13): short cases in Dutch, per domain, that the
// printable interview guide shows for every domain with a flag. The file is
// ours, embedded, and checked when the service starts: every domain has
// two or three cases, every case a situation and a question.

// DilemmaFile is the bank's file among the embedded YAML files; it is not
// a questionnaire (LoadFS leaves it out).
const DilemmaFile = "dilemmas.yaml"

// DilemmaDomains are the domains the bank must cover: the profile's
// domains and the open-source research (openbronnen).
var DilemmaDomains = append(append([]string(nil), domainOrder[:]...), "openbronnen")

// Dilemma is one case: a situation, the question ("Wat doet u?") and,
// optionally, what a good answer weighs.
type Dilemma struct {
	ID        string `yaml:"id" json:"id"`
	Title     string `yaml:"title" json:"title"`
	Situation string `yaml:"situation" json:"situation"`
	Question  string `yaml:"question" json:"question"`
	Consider  string `yaml:"consider" json:"consider,omitempty"`
}

// DilemmaBank is the cases per domain.
type DilemmaBank struct {
	byDomain map[string][]Dilemma
}

// For returns the cases of a domain (none for an unknown domain).
func (b *DilemmaBank) For(domain string) []Dilemma {
	if b == nil {
		return nil
	}
	return append([]Dilemma(nil), b.byDomain[domain]...)
}

// ParseDilemmas reads and checks a dilemma bank; the error lists every problem.
func ParseDilemmas(file string, data []byte) (*DilemmaBank, error) {
	var doc struct {
		Domains map[string][]Dilemma `yaml:"domains"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, &LoadError{Problems: []Problem{{File: file, Message: "geen geldige YAML: " + err.Error()}}}
	}
	var probs []Problem
	bad := func(format string, args ...any) {
		probs = append(probs, Problem{File: file, Message: fmt.Sprintf(format, args...)})
	}
	known := map[string]bool{}
	for _, d := range DilemmaDomains {
		known[d] = true
		if n := len(doc.Domains[d]); n < 2 || n > 3 {
			bad("domein %s: %d casussen, verwacht 2 of 3", d, n)
		}
	}
	ids := map[string]bool{}
	for d, cases := range doc.Domains {
		if !known[d] {
			bad("domein %s bestaat niet", d)
		}
		for i, c := range cases {
			where := fmt.Sprintf("domein %s, casus %d", d, i+1)
			switch {
			case !ruleRe.MatchString(c.ID):
				bad("%s: id %q ontbreekt of is ongeldig", where, c.ID)
			case ids[c.ID]:
				bad("%s: id %q komt twee keer voor", where, c.ID)
			}
			ids[c.ID] = true
			for field, v := range map[string]string{"title": c.Title, "situation": c.Situation, "question": c.Question} {
				if strings.TrimSpace(v) == "" {
					bad("%s: %s ontbreekt", where, field)
				}
			}
		}
	}
	if len(probs) > 0 {
		return nil, &LoadError{Problems: probs}
	}
	return &DilemmaBank{byDomain: doc.Domains}, nil
}

// LoadDilemmasFS reads the bank from fsys.
func LoadDilemmasFS(fsys fs.FS) (*DilemmaBank, error) {
	data, err := fs.ReadFile(fsys, DilemmaFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &LoadError{Problems: []Problem{{File: DilemmaFile, Message: "bestand ontbreekt"}}}
		}
		return nil, err
	}
	return ParseDilemmas(DilemmaFile, data)
}

var loadDilemmas = sync.OnceValues(func() (*DilemmaBank, error) { return LoadDilemmasFS(embedded) })

// LoadDilemmas returns the embedded dilemma bank, read and checked once per
// process (app.Open calls it at start, so a broken file stops the start).
func LoadDilemmas() (*DilemmaBank, error) { return loadDilemmas() }
