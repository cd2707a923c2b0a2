package questionnaires

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed *.yaml
var embedded embed.FS

// Problem is one thing wrong in a questionnaire file.
type Problem struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Section  string `json:"section,omitempty"`
	Rule     string `json:"rule,omitempty"`
	Question string `json:"question,omitempty"`
	Field    string `json:"field,omitempty"`
	Message  string `json:"message"`
}

// String renders the problem as
// `weerbaarheidsscan.yaml:120: vraag N3: optie "x" bestaat niet`.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Section != "" {
		fmt.Fprintf(&b, "sectie %s: ", p.Section)
	}
	if p.Rule != "" {
		fmt.Fprintf(&b, "regel %s: ", p.Rule)
	}
	if p.Question != "" {
		fmt.Fprintf(&b, "vraag %s: ", p.Question)
	}
	if p.Field != "" {
		fmt.Fprintf(&b, "veld %s: ", p.Field)
	}
	b.WriteString(p.Message)
	return b.String()
}

// LoadError lists every problem found in one or more files.
type LoadError struct {
	Problems []Problem
}

func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "vragenlijst klopt niet:\n" + strings.Join(lines, "\n")
}

// ErrNotFound is returned when a questionnaire id or version does not exist.
var ErrNotFound = errors.New("vragenlijst niet gevonden")

// CheckFile parses and validates one questionnaire file and returns all
// problems (none when it is fine). For `weerbaar questionnaire check FILE`.
func CheckFile(filePath string) []Problem {
	data, err := os.ReadFile(filePath)
	if err != nil {
		return []Problem{{File: filePath, Message: "kan het bestand niet lezen: " + err.Error()}}
	}
	_, err = Parse(filePath, data)
	if err == nil {
		return nil
	}
	var le *LoadError
	if errors.As(err, &le) {
		return le.Problems
	}
	return []Problem{{File: filePath, Message: err.Error()}}
}

// Registry holds parsed and compiled definitions. It is immutable and safe
// for concurrent use.
type Registry struct {
	byID map[string][]*Definition // sorted by version
}

// NewRegistry builds a registry; two definitions with the same id and
// version are an error.
func NewRegistry(defs ...*Definition) (*Registry, error) {
	r := &Registry{byID: map[string][]*Definition{}}
	var probs []Problem
	for _, d := range defs {
		for _, o := range r.byID[d.ID] {
			if o.Version == d.Version {
				probs = append(probs, Problem{File: d.file, Message: fmt.Sprintf("vragenlijst %s versie %d staat ook in %s", d.ID, d.Version, o.file)})
			}
		}
		r.byID[d.ID] = append(r.byID[d.ID], d)
	}
	if len(probs) > 0 {
		return nil, &LoadError{Problems: probs}
	}
	for _, l := range r.byID {
		sort.Slice(l, func(i, j int) bool { return l[i].Version < l[j].Version })
	}
	return r, nil
}

var loadEmbedded = sync.OnceValues(func() (*Registry, error) { return LoadFS(embedded) })

// LoadEmbedded returns the registry of the embedded *.yaml definitions,
// parsed and compiled once per process.
func LoadEmbedded() (*Registry, error) { return loadEmbedded() }

// LoadFS parses every *.yaml file in the root of fsys.
func LoadFS(fsys fs.FS) (*Registry, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var defs []*Definition
	var probs []Problem
	for _, name := range names {
		if path.Base(name) == DilemmaFile {
			continue // the interview guide's cases, not a questionnaire (dilemmas.go)
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		d, err := Parse(path.Base(name), data)
		if err != nil {
			var le *LoadError
			if errors.As(err, &le) {
				probs = append(probs, le.Problems...)
				continue
			}
			return nil, err
		}
		defs = append(defs, d)
	}
	if len(probs) > 0 {
		return nil, &LoadError{Problems: probs}
	}
	return NewRegistry(defs...)
}

// Get returns one version of a questionnaire.
func (r *Registry) Get(id string, version int) (*Definition, error) {
	for _, d := range r.byID[id] {
		if d.Version == version {
			return d, nil
		}
	}
	return nil, fmt.Errorf("%w: %s versie %d", ErrNotFound, id, version)
}

// Latest returns the highest version of a questionnaire.
func (r *Registry) Latest(id string) (*Definition, error) {
	l := r.byID[id]
	if len(l) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return l[len(l)-1], nil
}

// All returns every definition, by id then version.
func (r *Registry) All() []*Definition {
	ids := make([]string, 0, len(r.byID))
	for id := range r.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []*Definition
	for _, id := range ids {
		out = append(out, r.byID[id]...)
	}
	return out
}

// ---------------------------------------------------------------------------
// Parsing and validation

var (
	identRe  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	optionRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_]*$`)
	ruleRe   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)
	notFound = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
)

var questionTypes = []string{TypeYesNo, TypeChoice, TypeMultiChoice, TypeText, TypeLongText, TypeDate, TypeNumber, TypeScale, TypeList}
var fieldTypes = []string{TypeYesNo, TypeChoice, TypeText, TypeNumber, TypeDate}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// lines remembers where things are in the YAML, by position.
type lines struct {
	sections  []int
	questions [][]int
	rules     []int
}

type loader struct {
	file     string
	problems []Problem
	lines    lines
	qLine    map[string]int // question id -> line
}

func (l *loader) add(p Problem) {
	p.File = l.file
	l.problems = append(l.problems, p)
}

// Parse parses, validates and compiles one questionnaire file. On failure
// the error is a *LoadError listing every problem found.
func Parse(filename string, data []byte) (*Definition, error) {
	l := &loader{file: filename}
	d := l.parse(data)
	if len(l.problems) > 0 {
		return nil, &LoadError{Problems: l.problems}
	}
	return d, nil
}

func (l *loader) parse(data []byte) *Definition {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		l.yamlError(err)
		return nil
	}
	if len(root.Content) == 0 {
		l.add(Problem{Message: "het bestand is leeg"})
		return nil
	}
	l.lines = findLines(root.Content[0])

	d := &Definition{file: l.file, bound: new(sync.Map)}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(d); err != nil {
		if errors.Is(err, io.EOF) {
			l.add(Problem{Message: "het bestand is leeg"})
		} else {
			l.yamlError(err)
		}
		return nil
	}
	l.validate(d)
	l.index(d)
	l.compile(d)
	if len(l.problems) == 0 {
		l.dryRun(d)
	}
	return d
}

func (l *loader) yamlError(err error) {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, e := range te.Errors {
			l.add(yamlProblem(e))
		}
		return
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	l.add(yamlProblem(msg))
}

func yamlProblem(msg string) Problem {
	p := Problem{Message: "ongeldige YAML: " + msg}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		fmt.Sscanf(m[1], "%d", &p.Line)
		rest := m[2]
		if n := notFound.FindStringSubmatch(rest); n != nil {
			rest = fmt.Sprintf("onbekende sleutel %q", n[1])
		}
		p.Message = "ongeldige YAML: " + rest
	}
	return p
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func findLines(doc *yaml.Node) lines {
	var ls lines
	if s := mapValue(doc, "sections"); s != nil && s.Kind == yaml.SequenceNode {
		for _, sec := range s.Content {
			ls.sections = append(ls.sections, sec.Line)
			var qs []int
			if q := mapValue(sec, "questions"); q != nil && q.Kind == yaml.SequenceNode {
				for _, qn := range q.Content {
					qs = append(qs, qn.Line)
				}
			}
			ls.questions = append(ls.questions, qs)
		}
	}
	if r := mapValue(doc, "rules"); r != nil && r.Kind == yaml.SequenceNode {
		for _, rn := range r.Content {
			ls.rules = append(ls.rules, rn.Line)
		}
	}
	return ls
}

func at(list []int, i int) int {
	if i < len(list) {
		return list[i]
	}
	return 0
}

func (l *loader) questionLine(si, qi int) int {
	if si < len(l.lines.questions) {
		return at(l.lines.questions[si], qi)
	}
	return 0
}

var reserved = map[string]bool{
	"true": true, "false": true, "nil": true, "not": true, "and": true, "or": true,
	"in": true, "matches": true, "contains": true, "startsWith": true, "endsWith": true,
	"let": true, "if": true, "else": true, "env": true, "$env": true,
}

func init() {
	for _, v := range ContextVars {
		reserved[v] = true
	}
}

func isReserved(id string) bool {
	if reserved[id] {
		return true
	}
	return isBuiltin(id)
}

func (l *loader) checkText(t Text, what string, required bool, p Problem) {
	if t.NL == "" && (required || t.EN != "") {
		p.Message = what + ": de Nederlandse tekst (nl) ontbreekt"
		l.add(p)
	}
}

func (l *loader) validate(d *Definition) {
	top := Problem{Line: 1}
	if d.ID == "" {
		l.add(Problem{Line: 1, Message: "id van de vragenlijst ontbreekt"})
	} else if !optionRe.MatchString(d.ID) {
		l.add(Problem{Line: 1, Message: fmt.Sprintf("id %q: gebruik kleine letters, cijfers en _", d.ID)})
	}
	if d.Version < 1 {
		l.add(Problem{Line: 1, Message: "version moet 1 of hoger zijn"})
	}
	l.checkText(d.Title, "title", true, top)
	l.checkText(d.Intro, "intro", false, top)
	if d.Privacy.Version < 1 {
		l.add(Problem{Message: "privacy.version moet 1 of hoger zijn"})
	}
	l.checkText(d.Privacy.Text, "privacy.text", true, Problem{})
	if len(d.Sections) == 0 {
		l.add(Problem{Message: "er zijn geen secties"})
	}
	seenOffice := map[string]bool{}
	for _, o := range d.Offices {
		if _, ok := Office(o); !ok {
			l.add(Problem{Message: fmt.Sprintf("offices: onbekende functie %q (kies uit %s)", o, strings.Join(OfficeIDs(), ", "))})
		} else if seenOffice[o] {
			l.add(Problem{Message: fmt.Sprintf("offices: functie %q staat er twee keer in", o)})
		}
		seenOffice[o] = true
	}

	secIDs := map[string]bool{}
	qIDs := map[string]string{} // id -> section
	for si := range d.Sections {
		s := &d.Sections[si]
		sp := Problem{Section: s.ID, Line: at(l.lines.sections, si)}
		switch {
		case s.ID == "":
			sp.Message = fmt.Sprintf("sectie %d heeft geen id", si+1)
			l.add(sp)
		case !optionRe.MatchString(s.ID):
			sp.Message = fmt.Sprintf("id %q: gebruik kleine letters, cijfers en _", s.ID)
			l.add(sp)
		case secIDs[s.ID]:
			sp.Message = "deze sectie-id komt vaker voor"
			l.add(sp)
		}
		secIDs[s.ID] = true
		l.checkText(s.Title, "title", true, sp)
		l.checkText(s.Intro, "intro", false, sp)
		if len(s.Questions) == 0 {
			sp.Message = "sectie heeft geen vragen"
			l.add(sp)
		}
		for qi := range s.Questions {
			q := &s.Questions[qi]
			q.section = s.ID
			p := Problem{Question: q.ID, Line: l.questionLine(si, qi)}
			switch {
			case q.ID == "":
				p.Section = s.ID
				p.Message = fmt.Sprintf("vraag %d heeft geen id", qi+1)
				l.add(p)
			case !identRe.MatchString(q.ID):
				p.Message = "id: gebruik alleen letters, cijfers en _, en begin met een letter"
				l.add(p)
			case isReserved(q.ID):
				p.Message = fmt.Sprintf("id %q is gereserveerd; kies een andere id", q.ID)
				l.add(p)
			default:
				if other, dup := qIDs[q.ID]; dup {
					p.Message = fmt.Sprintf("id komt vaker voor (ook in sectie %s)", other)
					l.add(p)
				}
			}
			if _, dup := qIDs[q.ID]; !dup {
				qIDs[q.ID] = s.ID
			}
			l.validateQuestion(q, p)
		}
	}

	ruleIDs := map[string]bool{}
	for ri := range d.Rules {
		r := &d.Rules[ri]
		p := Problem{Rule: r.ID, Line: at(l.lines.rules, ri)}
		bad := func(msg string, args ...any) {
			pp := p
			pp.Message = fmt.Sprintf(msg, args...)
			l.add(pp)
		}
		switch {
		case r.ID == "":
			bad("regel %d heeft geen id", ri+1)
		case !ruleRe.MatchString(r.ID):
			bad("id: gebruik kleine letters, cijfers, - en _")
		case ruleIDs[r.ID]:
			bad("id komt vaker voor")
		}
		ruleIDs[r.ID] = true
		if r.Domain == "" {
			bad("domain ontbreekt")
		} else if !validDomain(r.Domain) {
			bad("onbekend domein %q (kies uit %s)", r.Domain, strings.Join(domainOrder[:], ", "))
		}
		seen := map[string]bool{r.Domain: true}
		for _, ad := range r.AlsoDomains {
			switch {
			case !validDomain(ad):
				bad("also_domains: onbekend domein %q (kies uit %s)", ad, strings.Join(domainOrder[:], ", "))
			case seen[ad]:
				bad("also_domains: domein %q staat er dubbel in", ad)
			}
			seen[ad] = true
		}
		if r.Severity == "" {
			bad("severity ontbreekt")
		} else if !r.Severity.Valid() || r.Severity == LevelGeen {
			bad("severity %q bestaat niet (kies uit info, oranje, rood, blok)", r.Severity)
		}
		if strings.TrimSpace(r.When) == "" {
			bad("when ontbreekt")
		}
		if r.Finding.NL == "" {
			bad("finding ontbreekt")
		}
		if r.Ask.NL == "" {
			bad("ask ontbreekt")
		}
		l.checkText(r.Why, "why", false, p)
		for _, qid := range r.Questions {
			if _, ok := qIDs[qid]; !ok {
				bad("questions: vraag %q bestaat niet", qid)
			}
		}
	}
}

func (l *loader) validateQuestion(q *Question, p Problem) {
	bad := func(msg string, args ...any) {
		pp := p
		pp.Message = fmt.Sprintf(msg, args...)
		l.add(pp)
	}
	if q.Type == "" {
		bad("type ontbreekt (kies uit %s)", strings.Join(questionTypes, ", "))
	} else if !contains(questionTypes, q.Type) {
		bad("onbekend type %q (kies uit %s)", q.Type, strings.Join(questionTypes, ", "))
	}
	l.checkText(q.Text, "text", true, p)
	l.checkText(q.Hint, "hint", false, p)
	l.checkText(q.Why, "why", false, p)
	for _, dm := range q.Domains {
		if !validDomain(dm) {
			bad("onbekend domein %q (kies uit %s)", dm, strings.Join(domainOrder[:], ", "))
		}
	}
	isChoice := q.Type == TypeChoice || q.Type == TypeMultiChoice
	if isChoice {
		l.validateOptions(q.Options, q.Type == TypeMultiChoice, p)
	} else if len(q.Options) > 0 {
		bad("options horen alleen bij choice en multichoice")
	}
	if q.Type == TypeList {
		l.checkText(q.Item, "item", true, p)
		l.checkText(q.EmptyText, "empty_text", false, p)
		if len(q.Fields) == 0 {
			bad("een lijstvraag heeft fields nodig")
		}
		ids := map[string]bool{}
		for fi := range q.Fields {
			f := &q.Fields[fi]
			fp := p
			fp.Field = f.ID
			fbad := func(msg string, args ...any) {
				pp := fp
				pp.Message = fmt.Sprintf(msg, args...)
				l.add(pp)
			}
			switch {
			case f.ID == "":
				fbad("veld %d heeft geen id", fi+1)
			case !identRe.MatchString(f.ID):
				fbad("id: gebruik alleen letters, cijfers en _, en begin met een letter")
			case ids[f.ID]:
				fbad("id komt vaker voor in deze vraag")
			}
			ids[f.ID] = true
			if f.Type == "" {
				fbad("type ontbreekt (kies uit %s)", strings.Join(fieldTypes, ", "))
			} else if !contains(fieldTypes, f.Type) {
				fbad("onbekend type %q (kies uit %s)", f.Type, strings.Join(fieldTypes, ", "))
			}
			l.checkText(f.Text, "text", true, fp)
			l.checkText(f.Hint, "hint", false, fp)
			if f.Type == TypeChoice {
				l.validateOptions(f.Options, false, fp)
			} else if len(f.Options) > 0 {
				fbad("options horen alleen bij choice")
			}
			if f.Type != TypeNumber && (f.Min != nil || f.Max != nil || f.Integer) {
				fbad("min, max en integer horen alleen bij number")
			}
			if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
				fbad("min is groter dan max")
			}
			if f.MaxLength != 0 && (f.Type != TypeText || f.MaxLength < 0) {
				fbad("max_length hoort alleen bij text en moet positief zijn")
			}
		}
		if q.TitleField != "" {
			if f, ok := q.Field(q.TitleField); !ok {
				bad("title_field: veld %q bestaat niet", q.TitleField)
			} else if f.Type != TypeText && f.Type != TypeChoice {
				bad("title_field: veld %q moet text of choice zijn", q.TitleField)
			}
		}
		if q.MaxItems < 0 {
			bad("max_items moet positief zijn")
		}
	} else {
		if len(q.Fields) > 0 {
			bad("fields horen alleen bij list")
		}
		if !q.Item.IsZero() || !q.EmptyText.IsZero() || q.TitleField != "" || q.MaxItems != 0 {
			bad("item, empty_text, title_field en max_items horen alleen bij list")
		}
	}
	if q.Type != TypeNumber && (q.Min != nil || q.Max != nil || q.Integer) {
		bad("min, max en integer horen alleen bij number")
	}
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		bad("min is groter dan max")
	}
	if q.MaxLength != 0 && ((q.Type != TypeText && q.Type != TypeLongText) || q.MaxLength < 0) {
		bad("max_length hoort alleen bij text en longtext en moet positief zijn")
	}
	if q.ScaleLabels != nil {
		if q.Type != TypeScale {
			bad("scale_labels horen alleen bij scale")
		}
		l.checkText(q.ScaleLabels.Min, "scale_labels.min", true, p)
		l.checkText(q.ScaleLabels.Max, "scale_labels.max", true, p)
	}
}

func (l *loader) validateOptions(opts []Option, multi bool, p Problem) {
	bad := func(msg string, args ...any) {
		pp := p
		pp.Message = fmt.Sprintf(msg, args...)
		l.add(pp)
	}
	if len(opts) < 2 {
		bad("geef minstens twee options")
	}
	seen := map[string]bool{}
	for i, o := range opts {
		switch {
		case o.ID == "":
			bad("optie %d heeft geen id", i+1)
		case !optionRe.MatchString(o.ID):
			bad("optie %q: gebruik kleine letters, cijfers en _", o.ID)
		case seen[o.ID]:
			bad("optie %q komt vaker voor", o.ID)
		}
		seen[o.ID] = true
		l.checkText(o.Text, fmt.Sprintf("optie %q", o.ID), true, p)
		if o.Exclusive && !multi {
			bad("optie %q: exclusive hoort alleen bij multichoice", o.ID)
		}
	}
}

// index builds the question index (first occurrence wins on duplicates).
func (l *loader) index(d *Definition) {
	d.index = map[string]int{}
	d.optLabels = map[string]map[string]string{}
	for si := range d.Sections {
		for qi := range d.Sections[si].Questions {
			q := &d.Sections[si].Questions[qi]
			if q.ID == "" {
				continue
			}
			if _, dup := d.index[q.ID]; dup {
				continue
			}
			d.index[q.ID] = len(d.questions)
			d.questions = append(d.questions, q)
			if len(q.Options) > 0 {
				m := make(map[string]string, len(q.Options))
				for _, o := range q.Options {
					m[o.ID] = o.Text.NL
				}
				d.optLabels[q.ID] = m
			}
		}
	}
	d.envSize = len(d.questions) + len(ContextVars)
}
