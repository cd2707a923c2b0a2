package questionnaires

import (
	"fmt"
	"strings"
)

// Answer validation messages in both languages, keyed by a code. The Dutch
// is what ValidateAnswers has always returned; the English is for the
// candidate who chose English (ValidateAnswersIn, AnswerMessages.In). A
// message is rendered from its code and arguments per language: a Text
// argument renders in that language, a nested message too, a float64 as a
// number in that language's notation (3,5 / 3.5).
var answerMessages = map[string]Text{
	"unknown":          {NL: "Onbekende vraag", EN: "Unknown question"},
	"yesno":            {NL: "Kies ja of nee", EN: "Choose yes or no"},
	"choice":           {NL: "Kies een van de opties", EN: "Choose one of the options"},
	"multi":            {NL: "Kies een of meer van de opties", EN: "Choose one or more of the options"},
	"multi_dup":        {NL: "Kies elke optie maar één keer", EN: "Choose each option only once"},
	"exclusive":        {NL: "U kunt „%s” niet combineren met andere opties", EN: "You cannot combine \"%s\" with other options"},
	"text":             {NL: "Vul een tekst in", EN: "Enter a text"},
	"number":           {NL: "Vul een getal in", EN: "Enter a number"},
	"integer":          {NL: "Vul een heel getal in", EN: "Enter a whole number"},
	"number_range":     {NL: "Vul een getal in van %s tot en met %s", EN: "Enter a number from %s to %s"},
	"number_min":       {NL: "Vul een getal in van %s of meer", EN: "Enter a number of %s or more"},
	"number_max":       {NL: "Vul een getal in van ten hoogste %s", EN: "Enter a number of at most %s"},
	"date":             {NL: "Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2024-03-15", EN: "Enter a date as YYYY-MM-DD, for example 2024-03-15"},
	"date_range":       {NL: "Vul een datum in tussen 1900-01-01 en 2100-12-31", EN: "Enter a date between 1900-01-01 and 2100-12-31"},
	"scale":            {NL: "Kies een getal van 1 tot en met 5", EN: "Choose a number from 1 to 5"},
	"list":             {NL: "Geef een lijst op", EN: "Give a list"},
	"list_item":        {NL: "%s %d: dit onderdeel klopt niet", EN: "%s %d: this entry is not valid"},
	"too_long":         {NL: "Gebruik ten hoogste %d tekens", EN: "Use at most %d characters"},
	"too_many":         {NL: "U kunt ten hoogste %d regels opgeven", EN: "You can give at most %d lines"},
	"unknown_field":    {NL: "%s %d: het veld „%s” bestaat niet", EN: "%s %d: the field \"%s\" does not exist"},
	"bad_json":         {NL: "Dit antwoord kan niet worden gelezen", EN: "This answer cannot be read"},
	"item":             {NL: "%s %d: %s", EN: "%s %d: %s"},
	"default_item":     {NL: "Regel", EN: "Line"},
	"field_quoted":     {NL: "„%s”", EN: "\"%s\""},
	"field_yesno":      {NL: "kies ja of nee bij %s", EN: "choose yes or no for %s"},
	"field_pick":       {NL: "kies %s", EN: "choose %s"},
	"field_missing":    {NL: "vul %s in", EN: "fill in %s"},
	"field_choice":     {NL: "kies %s uit de opties", EN: "choose %s from the options"},
	"field_text":       {NL: "vul bij %s een tekst in", EN: "enter a text for %s"},
	"field_too_long":   {NL: "gebruik bij %s ten hoogste %d tekens", EN: "use at most %[2]d characters for %[1]s"},
	"field_date":       {NL: "vul bij %s een datum in als JJJJ-MM-DD", EN: "enter %s as a date YYYY-MM-DD"},
	"field_date_range": {NL: "vul bij %s een datum in als JJJJ-MM-DD, tussen 1900 en 2100", EN: "enter %s as a date YYYY-MM-DD, between 1900 and 2100"},
	"field_number":     {NL: "vul bij %s een getal in", EN: "enter a number for %s"},
	"field_check":      {NL: "bij %s: %s", EN: "for %s: %s"},
	"field_type":       {NL: "onbekend veldtype", EN: "unknown field type"},
}

// answerMsg is one validation message before it is rendered.
type answerMsg struct {
	code string
	args []any
}

// lowerFirst renders a nested message with a lower-case first letter.
type lowerFirst struct{ m *answerMsg }

func amsg(code string, args ...any) *answerMsg { return &answerMsg{code: code, args: args} }

// Text renders the message in both languages.
func (m *answerMsg) Text() Text { return Text{NL: m.render(false), EN: m.render(true)} }

func (m *answerMsg) render(en bool) string {
	t, ok := answerMessages[m.code]
	if !ok {
		panic("questionnaires: unknown answer message " + m.code)
	}
	format := t.NL
	if en {
		format = t.EN
	}
	if len(m.args) == 0 {
		return format
	}
	args := make([]any, len(m.args))
	for i, a := range m.args {
		switch x := a.(type) {
		case Text:
			if en {
				args[i] = x.English()
			} else {
				args[i] = x.NL
			}
		case *answerMsg:
			args[i] = x.render(en)
		case lowerFirst:
			s := x.m.render(en)
			if s != "" {
				s = strings.ToLower(s[:1]) + s[1:]
			}
			args[i] = s
		case float64:
			args[i] = fmtNumIn(x, en)
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(format, args...)
}

// AnswerMessages are the validation messages of a refused set of answers,
// question id → message in Dutch and English.
type AnswerMessages map[string]Text

// In returns the messages in a language ("en" or anything else for Dutch);
// nil when there are none.
func (m AnswerMessages) In(lang string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for id, t := range m {
		out[id] = t.In(lang)
	}
	return out
}

// Invalid returns the messages in a language as an InvalidAnswers error
// (nil when there are none).
func (m AnswerMessages) Invalid(lang string) error {
	if len(m) == 0 {
		return nil
	}
	return InvalidAnswers(m.In(lang))
}
