// Command addenglish adds English (`en:`) to the texts of a questionnaire
// YAML file without touching its Dutch: it rewrites the file textually, so
// comments, layout and every Dutch scalar stay byte for byte as they were.
//
//	go run ./internal/tools/addenglish extract FILE        # Dutch texts that lack English, as a pair list
//	go run ./internal/tools/addenglish apply FILE SRC...   # add English from SRC files
//
// A SRC file is either a pair list (`- nl: ...` / `en: ...`, as extract
// prints it) or a questionnaire file that already has English: its Dutch
// and English texts are matched by the Dutch. So a new questionnaire
// version that copies questions of an older one gets their English with
//
//	go run ./internal/tools/addenglish apply questionnaires/weerbaarheidsscan-v2.yaml questionnaires/weerbaarheidsscan.yaml
//
// Texts whose Dutch is not found are listed on stderr and left alone; the
// test questionnaires/english_test.go then names them.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// textKeys are the mapping keys whose values are questionnaires.Text.
var textKeys = map[string]bool{
	"title": true, "intro": true, "text": true, "hint": true, "why": true, "item": true,
	"empty_text": true, "name": true, "finding": true, "ask": true,
}

// site is one Text value in the file.
type site struct {
	key, val *yaml.Node
	flow     bool // parent mapping is a flow mapping
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: addenglish extract FILE | addenglish apply FILE SRC...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "extract":
		err = extract(os.Args[2])
	case "apply":
		err = apply(os.Args[2], os.Args[3:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "addenglish:", err)
		os.Exit(1)
	}
}

func parse(data []byte) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	if len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not a YAML mapping")
	}
	return root.Content[0], nil
}

// sites lists every Text value under n, in file order.
func sites(n *yaml.Node, parentKey string, out *[]site) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			isText := textKeys[k.Value] || (parentKey == "scale_labels" && (k.Value == "min" || k.Value == "max"))
			if isText && (v.Kind == yaml.ScalarNode || isTextMapping(v)) {
				*out = append(*out, site{key: k, val: v, flow: n.Style&yaml.FlowStyle != 0})
				continue
			}
			sites(v, k.Value, out)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			sites(c, parentKey, out)
		}
	}
}

func isTextMapping(v *yaml.Node) bool {
	if v.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		if k := v.Content[i].Value; k != "nl" && k != "en" {
			return false
		}
	}
	return true
}

// texts returns nl and en of a site ("" when absent).
func texts(s site) (nl, en string, nlNode *yaml.Node, nlKey *yaml.Node) {
	if s.val.Kind == yaml.ScalarNode {
		return strings.TrimSpace(s.val.Value), "", s.val, s.key
	}
	for i := 0; i+1 < len(s.val.Content); i += 2 {
		switch s.val.Content[i].Value {
		case "nl":
			nl, nlNode, nlKey = strings.TrimSpace(s.val.Content[i+1].Value), s.val.Content[i+1], s.val.Content[i]
		case "en":
			en = strings.TrimSpace(s.val.Content[i+1].Value)
		}
	}
	return nl, en, nlNode, nlKey
}

type pair struct {
	NL string `yaml:"nl"`
	EN string `yaml:"en"`
}

func extract(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	root, err := parse(data)
	if err != nil {
		return err
	}
	var ss []site
	sites(root, "", &ss)
	seen := map[string]bool{}
	var out []pair
	for _, s := range ss {
		nl, en, _, _ := texts(s)
		if nl == "" || en != "" || seen[nl] {
			continue
		}
		seen[nl] = true
		out = append(out, pair{NL: nl})
	}
	enc := yaml.NewEncoder(os.Stdout)
	enc.SetIndent(2)
	return enc.Encode(out)
}

// dictionary reads Dutch → English from pair lists and questionnaire files.
func dictionary(srcs []string) (map[string]string, error) {
	dict := map[string]string{}
	add := func(nl, en, src string) error {
		nl, en = strings.TrimSpace(nl), strings.TrimSpace(en)
		if nl == "" || en == "" {
			return nil
		}
		if old, ok := dict[nl]; ok && old != en {
			return fmt.Errorf("%s: two English texts for %q: %q and %q", src, nl, old, en)
		}
		dict[nl] = en
		return nil
	}
	for _, src := range srcs {
		data, err := os.ReadFile(src)
		if err != nil {
			return nil, err
		}
		var pairs []pair
		if yaml.Unmarshal(data, &pairs) == nil && len(pairs) > 0 {
			for _, p := range pairs {
				if err := add(p.NL, p.EN, src); err != nil {
					return nil, err
				}
			}
			continue
		}
		root, err := parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		var ss []site
		sites(root, "", &ss)
		for _, s := range ss {
			nl, en, _, _ := texts(s)
			if err := add(nl, en, src); err != nil {
				return nil, err
			}
		}
	}
	return dict, nil
}

type edit struct {
	from, to int // line range [from, to) (0-based) to replace
	lines    []string
	// inline edits replace line[col:end] of line `from` (flow texts; a
	// line may hold several, applied right to left before line edits).
	inline      bool
	col, end    int
	replacement string
}

func apply(file string, srcs []string) error {
	dict, err := dictionary(srcs)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	root, err := parse(data)
	if err != nil {
		return err
	}
	lines := strings.Split(string(data), "\n")
	var ss []site
	sites(root, "", &ss)
	var edits []edit
	var missing []string
	for _, s := range ss {
		nl, en, nlNode, nlKey := texts(s)
		if nl == "" || en != "" {
			continue
		}
		e, ok := dict[nl]
		if !ok {
			missing = append(missing, fmt.Sprintf("%s:%d: %q", file, s.key.Line, nl))
			continue
		}
		ed, err := spliceSite(lines, s, nlNode, nlKey, e)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", file, s.key.Line, err)
		}
		edits = append(edits, ed)
	}
	var lineEdits []edit
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].col > edits[j].col })
	for _, ed := range edits {
		if ed.inline {
			l := lines[ed.from]
			lines[ed.from] = l[:ed.col] + ed.replacement + l[ed.end:]
		} else {
			lineEdits = append(lineEdits, ed)
		}
	}
	edits = lineEdits
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
	for i := 1; i < len(edits); i++ {
		if edits[i].to > edits[i-1].from {
			return fmt.Errorf("%s: overlapping edits at line %d", file, edits[i].from+1)
		}
	}
	for _, ed := range edits {
		lines = append(lines[:ed.from], append(ed.lines, lines[ed.to:]...)...)
	}
	out := []byte(strings.Join(lines, "\n"))
	if _, err := parse(out); err != nil {
		return fmt.Errorf("result does not parse: %w", err)
	}
	for _, m := range missing {
		fmt.Fprintln(os.Stderr, "no English for", m)
	}
	return os.WriteFile(file, out, 0o644)
}

// byteCol converts a 1-based column in characters (as yaml.v3 reports it)
// to a byte offset in line.
func byteCol(line string, col int) int {
	n := 0
	for i := range line {
		if n == col-1 {
			return i
		}
		n++
	}
	return len(line)
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// blockEnd returns the line index after the block scalar whose key is on
// line keyLine (0-based) with indentation ind, without trailing blank lines.
func blockEnd(lines []string, keyLine, ind int) int {
	end := keyLine + 1
	for i := keyLine + 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		if indentOf(lines[i]) <= ind {
			break
		}
		end = i + 1
	}
	return end
}

func spliceSite(lines []string, s site, nlNode, nlKey *yaml.Node, en string) (edit, error) {
	if s.val.Kind == yaml.MappingNode {
		if s.val.Style&yaml.FlowStyle != 0 {
			return edit{}, errors.New("flow mapping {nl: ...} not supported; write it in block form")
		}
		// Add an en: line after the nl value, at the nl key's indentation.
		kl := nlKey.Line - 1
		ind := nlKey.Column - 1
		end := kl + 1
		if nlNode.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			end = blockEnd(lines, kl, ind)
		}
		return edit{from: end, to: end, lines: enLines(ind, en, nlNode.Style)}, nil
	}
	kl := s.key.Line - 1
	line := lines[kl]
	if s.flow {
		if s.val.Line != s.key.Line {
			return edit{}, errors.New("flow value on another line than its key")
		}
		start := byteCol(line, s.val.Column)
		n, err := scalarLen(line[start:], s.val.Style)
		if err != nil {
			return edit{}, err
		}
		repl := "{nl: " + line[start:start+n] + ", en: " + quote(en) + "}"
		return edit{inline: true, from: kl, col: start, end: start + n, replacement: repl}, nil
	}
	ind := s.key.Column - 1
	prefix := line[:ind]
	if strings.TrimSpace(prefix) != "" {
		return edit{}, errors.New("text key must start its line")
	}
	pad := strings.Repeat(" ", ind)
	head := pad + s.key.Value + ":"
	if s.val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		end := blockEnd(lines, kl, ind)
		rest := strings.TrimPrefix(line[ind:], s.key.Value+":")
		out := []string{head, pad + "  nl:" + rest}
		for _, l := range lines[kl+1 : end] {
			if strings.TrimSpace(l) == "" {
				out = append(out, l)
			} else {
				out = append(out, "  "+l)
			}
		}
		out = append(out, enLines(ind+2, en, s.val.Style)...)
		return edit{from: kl, to: end, lines: out}, nil
	}
	if s.val.Line != s.key.Line {
		return edit{}, errors.New("multi-line plain text; write it as a block scalar")
	}
	rest := line[byteCol(line, s.val.Column):]
	// The rest of the line must be the value alone (a multi-line plain
	// scalar would continue on the next lines).
	if next := kl + 1; next < len(lines) && strings.TrimSpace(lines[next]) != "" && indentOf(lines[next]) > ind && !strings.HasPrefix(strings.TrimSpace(lines[next]), "#") {
		if t := strings.TrimSpace(lines[next]); !strings.Contains(t, ":") && !strings.HasPrefix(t, "- ") {
			return edit{}, errors.New("text continues on the next line; write it as a block scalar")
		}
	}
	out := []string{head, pad + "  nl: " + rest}
	out = append(out, enLines(ind+2, en, s.val.Style)...)
	return edit{from: kl, to: kl + 1, lines: out}, nil
}

// scalarLen is the length of the flow scalar at the start of s.
func scalarLen(s string, style yaml.Style) (int, error) {
	switch {
	case style&yaml.DoubleQuotedStyle != 0:
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '"':
				return i + 1, nil
			}
		}
	case style&yaml.SingleQuotedStyle != 0:
		for i := 1; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, nil
			}
		}
	default:
		for i := 0; i < len(s); i++ {
			if s[i] == '}' || (s[i] == ',' && (i+1 == len(s) || s[i+1] == ' ')) {
				return len(strings.TrimRight(s[:i], " ")), nil
			}
		}
	}
	return 0, errors.New("cannot find the end of a flow text")
}

// enLines renders `en: ...` at indentation ind, in the style of the Dutch:
// a block scalar for a block Dutch text, else one line.
func enLines(ind int, en string, style yaml.Style) []string {
	pad := strings.Repeat(" ", ind)
	switch {
	case style&yaml.LiteralStyle != 0 || strings.Contains(en, "\n"):
		out := []string{pad + "en: |-"}
		for _, l := range strings.Split(en, "\n") {
			if l == "" {
				out = append(out, "")
			} else {
				out = append(out, pad+"  "+l)
			}
		}
		return out
	case style&yaml.FoldedStyle != 0:
		out := []string{pad + "en: >-"}
		return append(out, wrap(en, pad+"  ", 78)...)
	}
	return []string{pad + "en: " + plainOrQuoted(en)}
}

func wrap(s, pad string, width int) []string {
	var out []string
	cur := pad
	for _, w := range strings.Fields(s) {
		if cur != pad && len(cur)+1+len(w) > width {
			out = append(out, cur)
			cur = pad
		}
		if cur != pad {
			cur += " "
		}
		cur += w
	}
	return append(out, cur)
}

func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSpace(b.String())
}

func plainOrQuoted(s string) string {
	if s == "" || strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@` ") || strings.Contains(s, ": ") ||
		strings.Contains(s, " #") || strings.HasSuffix(s, ":") || strings.HasSuffix(s, " ") {
		return quote(s)
	}
	switch strings.ToLower(s) {
	case "yes", "no", "true", "false", "null", "~", "on", "off", "y", "n":
		return quote(s)
	}
	var v any
	if yaml.Unmarshal([]byte("x: "+s), &v) != nil {
		return quote(s)
	}
	if m, ok := v.(map[string]any); !ok || m["x"] != s {
		return quote(s)
	}
	return s
}
