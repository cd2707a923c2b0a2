// Package questionnaires holds the questionnaire definitions (YAML, embedded),
// their loader and validator, answer validation and the rule engine that turns
// answers into a risk profile.
//
// A Definition is immutable after Parse and safe for concurrent use.
package questionnaires

import (
	"fmt"
	"strings"
	"sync"

	"github.com/expr-lang/expr/vm"
	"gopkg.in/yaml.v3"
)

// Level is a risk level. Order: geen < info < oranje < rood < blok.
type Level string

const (
	LevelGeen   Level = "geen"
	LevelInfo   Level = "info"
	LevelOranje Level = "oranje"
	LevelRood   Level = "rood"
	LevelBlok   Level = "blok"
)

// Levels lists all levels from low to high.
var Levels = []Level{LevelGeen, LevelInfo, LevelOranje, LevelRood, LevelBlok}

// Rank orders levels: geen 0, info 1, oranje 2, rood 3, blok 4; unknown -1.
func (l Level) Rank() int {
	switch l {
	case LevelGeen:
		return 0
	case LevelInfo:
		return 1
	case LevelOranje:
		return 2
	case LevelRood:
		return 3
	case LevelBlok:
		return 4
	}
	return -1
}

// Valid reports whether l is one of the five levels.
func (l Level) Valid() bool { return l.Rank() >= 0 }

// Max returns the higher of l and o.
func (l Level) Max(o Level) Level {
	if o.Rank() > l.Rank() {
		return o
	}
	return l
}

// domainOrder are the risk domains, in display order.
var domainOrder = [...]string{"nevenfuncties", "financieel", "netwerk", "verleden", "weerbaarheid", "digitaal", "vog"}

// Domains lists the risk domains in display order (a copy; the package
// does not read it).
var Domains = append([]string(nil), domainOrder[:]...)

func validDomain(d string) bool {
	for _, x := range domainOrder {
		if x == d {
			return true
		}
	}
	return false
}

// Question types.
const (
	TypeYesNo       = "yesno"
	TypeChoice      = "choice"
	TypeMultiChoice = "multichoice"
	TypeText        = "text"
	TypeLongText    = "longtext"
	TypeDate        = "date"
	TypeNumber      = "number"
	TypeScale       = "scale"
	TypeList        = "list"
)

// Default caps used when a question does not set its own.
const (
	DefaultMaxText     = 500
	DefaultMaxLongText = 5000
	DefaultMaxItems    = 30
	ScaleMin           = 1
	ScaleMax           = 5
)

// Text is a translatable text. NL is required; EN falls back to NL.
// In YAML a plain string is accepted as shorthand for {nl: "..."}.
type Text struct {
	NL string `yaml:"nl" json:"nl"`
	EN string `yaml:"en" json:"en,omitempty"`
}

// String returns the Dutch text.
func (t Text) String() string { return t.NL }

// English returns the English text, or the Dutch text when there is none.
func (t Text) English() string {
	if t.EN != "" {
		return t.EN
	}
	return t.NL
}

// In returns the text for a language code ("en" or anything else for Dutch).
func (t Text) In(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return t.English()
	}
	return t.NL
}

// IsZero reports whether both texts are empty (used by json omitzero).
func (t Text) IsZero() bool { return t.NL == "" && t.EN == "" }

// UnmarshalYAML accepts a scalar (Dutch text) or a mapping {nl, en}.
func (t *Text) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			*t = Text{}
			return nil
		}
		t.NL = strings.TrimSpace(n.Value)
		return nil
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: tekst %q moet een gewone tekst zijn", v.Line, k.Value)
			}
			switch k.Value {
			case "nl":
				t.NL = strings.TrimSpace(v.Value)
			case "en":
				t.EN = strings.TrimSpace(v.Value)
			default:
				return fmt.Errorf("line %d: onbekende taal %q (gebruik nl of en)", k.Line, k.Value)
			}
		}
		return nil
	}
	return fmt.Errorf("line %d: verwacht een tekst of {nl: ..., en: ...}", n.Line)
}

// Definition is one version of a questionnaire.
type Definition struct {
	ID       string    `yaml:"id" json:"id"`
	Version  int       `yaml:"version" json:"version"`
	Title    Text      `yaml:"title" json:"title"`
	Intro    Text      `yaml:"intro" json:"intro,omitzero"`
	Privacy  Privacy   `yaml:"privacy" json:"privacy"`
	Sections []Section `yaml:"sections" json:"sections"`
	Rules    []Rule    `yaml:"rules" json:"-"`
	// Offices a round on this version may be for (offices.go); empty means
	// LegacyOffices (version 1).
	Offices []string `yaml:"offices" json:"offices,omitempty"`

	file      string
	office    string                       // the round's office when bound with ForOffice ("" otherwise)
	base      *Definition                  // the unbound definition of a bound copy
	bound     *sync.Map                    // office -> bound copy (shared by the copies)
	questions []*Question                  // questionnaire order
	index     map[string]int               // question id -> position in questions
	showIf    []*vm.Program                // per question (nil when none), questionnaire order
	showFast  []fastFn                     // native fast paths of showIf (nil: run the program)
	rules     []compiledRule               // per rule, rule order
	envSize   int                          // number of env entries
	optLabels map[string]map[string]string // question id -> option id -> label (nl)
}

// Privacy is the privacy statement the candidate reads before answering.
type Privacy struct {
	Version int  `yaml:"version" json:"version"`
	Text    Text `yaml:"text" json:"text"`
}

// Section groups questions; the UI shows one section per page.
type Section struct {
	ID        string     `yaml:"id" json:"id"`
	Title     Text       `yaml:"title" json:"title"`
	Intro     Text       `yaml:"intro" json:"intro,omitzero"`
	Questions []Question `yaml:"questions" json:"questions"`
}

// Question is one question. See the Type* constants for the types.
type Question struct {
	ID       string   `yaml:"id" json:"id"`
	Type     string   `yaml:"type" json:"type"`
	Text     Text     `yaml:"text" json:"text"`
	Hint     Text     `yaml:"hint" json:"hint,omitzero"`
	Why      Text     `yaml:"why" json:"why,omitzero"` // "Waarom vragen we dit?"
	Domains  []string `yaml:"domains" json:"domains,omitempty"`
	Optional bool     `yaml:"optional" json:"optional,omitempty"`
	Options  []Option `yaml:"options" json:"options,omitempty"` // choice, multichoice
	Fields   []Field  `yaml:"fields" json:"fields,omitempty"`   // list
	// Item names one list item, e.g. "Nevenfunctie" (used as "Nevenfunctie 2").
	Item Text `yaml:"item" json:"item,omitzero"`
	// EmptyText labels the "none" answer of a list (an empty array), e.g.
	// "Ik heb geen nevenfuncties".
	EmptyText Text `yaml:"empty_text" json:"empty_text,omitzero"`
	// TitleField is the list field that names an item in summaries
	// (default: the first text field).
	TitleField string   `yaml:"title_field" json:"title_field,omitempty"`
	ShowIf     string   `yaml:"show_if" json:"show_if,omitempty"`
	MaxItems   int      `yaml:"max_items" json:"max_items,omitempty"`
	MaxLength  int      `yaml:"max_length" json:"max_length,omitempty"`
	Min        *float64 `yaml:"min" json:"min,omitempty"`
	Max        *float64 `yaml:"max" json:"max,omitempty"`
	Integer    bool     `yaml:"integer" json:"integer,omitempty"` // number: whole numbers only
	// ScaleLabels names the ends of a scale, e.g. {min: "heel makkelijk", max: "heel moeilijk"}.
	ScaleLabels *ScaleLabels `yaml:"scale_labels" json:"scale_labels,omitempty"`

	section string
}

// ScaleLabels names the two ends of a 1–5 scale.
type ScaleLabels struct {
	Min Text `yaml:"min" json:"min"`
	Max Text `yaml:"max" json:"max"`
}

// Section returns the id of the section the question is in.
func (q *Question) Section() string { return q.section }

// Option is an answer option of a choice or multichoice question (or field).
type Option struct {
	ID   string `yaml:"id" json:"id"`
	Text Text   `yaml:"text" json:"text"`
	// Exclusive (multichoice only): cannot be combined with other options,
	// e.g. "geen".
	Exclusive bool `yaml:"exclusive" json:"exclusive,omitempty"`
}

// Field is one field of a list item. Types: yesno, choice, text, number, date.
type Field struct {
	ID   string `yaml:"id" json:"id"`
	Type string `yaml:"type" json:"type"`
	Text Text   `yaml:"text" json:"text"`
	Hint Text   `yaml:"hint" json:"hint,omitzero"`
	// Name is how validation messages refer to the field, with article,
	// e.g. "de organisatie" ("Nevenfunctie 2: vul de organisatie in").
	Name      Text     `yaml:"name" json:"-"`
	Optional  bool     `yaml:"optional" json:"optional,omitempty"`
	Options   []Option `yaml:"options" json:"options,omitempty"`
	MaxLength int      `yaml:"max_length" json:"max_length,omitempty"`
	Min       *float64 `yaml:"min" json:"min,omitempty"`
	Max       *float64 `yaml:"max" json:"max,omitempty"`
	Integer   bool     `yaml:"integer" json:"integer,omitempty"`
}

// Rule raises a flag when its `when` expression is true.
type Rule struct {
	ID          string   `yaml:"id" json:"id"`
	Domain      string   `yaml:"domain" json:"domain"`
	AlsoDomains []string `yaml:"also_domains" json:"also_domains,omitempty"`
	Severity    Level    `yaml:"severity" json:"severity"`
	When        string   `yaml:"when" json:"when"`
	// Finding may contain {{QID}}; its English must name the same questions.
	Finding   Text     `yaml:"finding" json:"finding"`
	Ask       Text     `yaml:"ask" json:"ask"` // interview question
	Why       Text     `yaml:"why" json:"why,omitzero"`
	Questions []string `yaml:"questions" json:"questions,omitempty"`
	// Law is the structured article reference, e.g. "Provinciewet art. 40c"
	// (version 2 on; a rule from a bill says so, docs/domain/ambten.md).
	Law string `yaml:"law" json:"law,omitempty"`
}

// ForOffice returns the definition bound to a round's office: Visible,
// Missing, Progress and answer checks then see the office (and its level
// and executive) as Evaluate does, so a show_if on `level` or `executive`
// (version 2) hides the same questions on every page and in the compile.
// Bound copies share everything compiled and are cached per office.
func (d *Definition) ForOffice(office string) *Definition {
	if office == d.office {
		return d
	}
	base := d
	if d.base != nil {
		base = d.base
	}
	if office == "" || base.bound == nil {
		return base
	}
	if v, ok := base.bound.Load(office); ok {
		return v.(*Definition)
	}
	cp := *base
	cp.office, cp.base = office, base
	v, _ := base.bound.LoadOrStore(office, &cp)
	return v.(*Definition)
}

// BoundOffice is the office the definition is bound to ("" when unbound).
func (d *Definition) BoundOffice() string { return d.office }

// File returns the file name the definition was parsed from.
func (d *Definition) File() string { return d.file }

// Question returns the question with the given id.
func (d *Definition) Question(id string) (*Question, bool) {
	i, ok := d.index[id]
	if !ok {
		return nil, false
	}
	return d.questions[i], true
}

// QuestionIDs returns all question ids in questionnaire order.
func (d *Definition) QuestionIDs() []string {
	ids := make([]string, len(d.questions))
	for i, q := range d.questions {
		ids[i] = q.ID
	}
	return ids
}

// Questions returns all questions in questionnaire order (do not modify).
func (d *Definition) Questions() []*Question { return d.questions }

// Rule returns the rule with the given id.
func (d *Definition) Rule(id string) (*Rule, bool) {
	for i := range d.Rules {
		if d.Rules[i].ID == id {
			return &d.Rules[i], true
		}
	}
	return nil, false
}

// Option returns the option with the given id.
func (q *Question) Option(id string) (*Option, bool) {
	return findOption(q.Options, id)
}

// Field returns the list field with the given id.
func (q *Question) Field(id string) (*Field, bool) {
	for i := range q.Fields {
		if q.Fields[i].ID == id {
			return &q.Fields[i], true
		}
	}
	return nil, false
}

// Option returns the option with the given id.
func (f *Field) Option(id string) (*Option, bool) {
	return findOption(f.Options, id)
}

func findOption(opts []Option, id string) (*Option, bool) {
	for i := range opts {
		if opts[i].ID == id {
			return &opts[i], true
		}
	}
	return nil, false
}
