package questionnaires

import (
	"fmt"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

func isBuiltin(name string) bool {
	_, ok := builtin.Index[name]
	return ok
}

// compiledRule is a rule ready to run.
type compiledRule struct {
	prog      *vm.Program
	fast      fastFn    // nil: always run prog
	questions []int     // question positions shown with the flag, questionnaire order
	qids      []string  // the same as ids (shared by all flags; never modified)
	finding   []segment // finding template
	findingEN []segment // English finding template (nil: none)
	domains   []string  // primary domain first, then also_domains
	domainIdx []int     // positions of domains in domainOrder
}

// segment is a literal text (q < 0) or a question reference.
type segment struct {
	text string
	q    int
}

// exprRunner reuses one VM for several programs (not concurrency safe).
type exprRunner struct{ m vm.VM }

func (r *exprRunner) run(p *vm.Program, env map[string]any) (any, error) {
	return r.m.Run(p, env)
}

func (l *loader) compile(d *Definition) {
	env := d.compileEnv()
	opts := []expr.Option{expr.Env(env), expr.AsBool()}

	qLine := map[string]int{}
	for si := range d.Sections {
		for qi, q := range d.Sections[si].Questions {
			if _, ok := qLine[q.ID]; !ok {
				qLine[q.ID] = l.questionLine(si, qi)
			}
		}
	}
	l.qLine = qLine

	d.showIf = make([]*vm.Program, len(d.questions))
	d.showFast = make([]fastFn, len(d.questions))
	for i, q := range d.questions {
		if strings.TrimSpace(q.ShowIf) == "" {
			continue
		}
		p := Problem{Question: q.ID, Line: qLine[q.ID]}
		prog, err := expr.Compile(q.ShowIf, opts...)
		if err != nil {
			p.Message = "show_if klopt niet: " + err.Error()
			l.add(p)
			continue
		}
		d.showIf[i] = prog
		refs, node := l.analyse(d, q.ShowIf, p)
		if node != nil {
			d.showFast[i] = d.buildFast(node)
		}
		for _, ri := range refs {
			if ri >= i {
				p.Message = fmt.Sprintf("show_if mag alleen naar eerdere vragen verwijzen, niet naar %s", d.questions[ri].ID)
				l.add(p)
			}
		}
	}

	d.rules = make([]compiledRule, len(d.Rules))
	for ri := range d.Rules {
		r := &d.Rules[ri]
		p := Problem{Rule: r.ID, Line: at(l.lines.rules, ri)}
		cr := compiledRule{domains: append([]string{r.Domain}, r.AlsoDomains...)}
		for _, dm := range cr.domains {
			for di, x := range domainOrder {
				if x == dm {
					cr.domainIdx = append(cr.domainIdx, di)
				}
			}
		}
		if strings.TrimSpace(r.When) != "" {
			prog, err := expr.Compile(r.When, opts...)
			if err != nil {
				p.Message = "when klopt niet: " + err.Error()
				l.add(p)
			} else {
				cr.prog = prog
				refs, node := l.analyse(d, r.When, p)
				if node != nil {
					cr.fast = d.buildFast(node)
				}
				if len(r.Questions) == 0 {
					cr.questions = refs
				}
			}
		}
		if len(r.Questions) > 0 {
			cr.questions = d.positions(r.Questions)
		}
		cr.qids = make([]string, len(cr.questions))
		for n, qi := range cr.questions {
			cr.qids[n] = d.questions[qi].ID
		}
		cr.finding = l.template(d, r.Finding.NL, p)
		if r.Finding.EN != "" {
			cr.findingEN = l.template(d, r.Finding.EN, p)
			if !sameRefs(cr.finding, cr.findingEN) {
				pp := p
				pp.Message = "finding: de Engelse tekst (en) moet dezelfde {{vragen}} noemen als de Nederlandse"
				l.add(pp)
			}
		}
		d.rules[ri] = cr
	}
}

// positions maps question ids to positions, sorted in questionnaire order,
// unknown ids dropped.
func (d *Definition) positions(ids []string) []int {
	seen := make([]bool, len(d.questions))
	for _, id := range ids {
		if i, ok := d.index[id]; ok {
			seen[i] = true
		}
	}
	var out []int
	for i, s := range seen {
		if s {
			out = append(out, i)
		}
	}
	return out
}

// sameRefs reports whether two finding templates refer to the same
// questions, in any order.
func sameRefs(a, b []segment) bool {
	count := map[int]int{}
	for _, s := range a {
		if s.q >= 0 {
			count[s.q]++
		}
	}
	for _, s := range b {
		if s.q >= 0 {
			count[s.q]--
		}
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

// template splits a finding into literal text and {{QID}} references.
func (l *loader) template(d *Definition, s string, p Problem) []segment {
	var segs []segment
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			if s != "" {
				segs = append(segs, segment{text: s, q: -1})
			}
			return segs
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			pp := p
			pp.Message = "finding: {{ zonder }}"
			l.add(pp)
			return segs
		}
		if i > 0 {
			segs = append(segs, segment{text: s[:i], q: -1})
		}
		id := strings.TrimSpace(s[i+2 : i+j])
		if qi, ok := d.index[id]; ok {
			segs = append(segs, segment{q: qi})
		} else {
			pp := p
			pp.Message = fmt.Sprintf("finding: vraag %q in {{%s}} bestaat niet", id, id)
			l.add(pp)
		}
		s = s[i+j+2:]
	}
}

// analyse walks the expression's syntax tree once: it returns the positions
// of the questions it refers to (questionnaire order) and reports option
// literals and list fields that do not exist.
func (l *loader) analyse(d *Definition, src string, p Problem) ([]int, ast.Node) {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, nil // compile already reported it
	}
	a := &analyser{l: l, d: d, p: p, seen: make([]bool, len(d.questions))}
	a.visit(tree.Node, nil)
	var out []int
	for i, s := range a.seen {
		if s {
			out = append(out, i)
		}
	}
	return out, tree.Node
}

type analyser struct {
	l    *loader
	d    *Definition
	p    Problem
	seen []bool
}

func (a *analyser) bad(q, field, msg string, args ...any) {
	pp := a.p
	if q != "" {
		pp.Question = q
	}
	pp.Field = field
	pp.Message = fmt.Sprintf(msg, args...)
	a.l.add(pp)
}

func (a *analyser) question(n ast.Node) *Question {
	if id, ok := n.(*ast.IdentifierNode); ok {
		if i, ok := a.d.index[id.Value]; ok {
			return a.d.questions[i]
		}
	}
	return nil
}

// subject describes what a literal is compared with.
type subject struct {
	q       *Question
	field   *Field   // list field (.field inside a predicate over a list)
	options []Option // options the value must come from (nil: not a choice)
	kind    string   // question or field type; "element" for # over a multichoice
}

func (a *analyser) subjectOf(n ast.Node, coll *Question) *subject {
	if q := a.question(n); q != nil {
		return &subject{q: q, options: q.Options, kind: q.Type}
	}
	if coll == nil {
		return nil
	}
	switch n := n.(type) {
	case *ast.PointerNode:
		if n.Name == "" && coll.Type == TypeMultiChoice {
			return &subject{q: coll, options: coll.Options, kind: TypeChoice}
		}
	case *ast.MemberNode:
		if ptr, ok := n.Node.(*ast.PointerNode); ok && ptr.Name == "" && coll.Type == TypeList {
			if s, ok := n.Property.(*ast.StringNode); ok {
				if f, ok := coll.Field(s.Value); ok {
					return &subject{q: coll, field: f, options: f.Options, kind: f.Type}
				}
			}
		}
	}
	return nil
}

func (a *analyser) checkLiteral(s *subject, lit ast.Node) {
	fid := ""
	if s.field != nil {
		fid = s.field.ID
	}
	switch v := lit.(type) {
	case *ast.StringNode:
		switch s.kind {
		case TypeChoice:
			if _, ok := findOption(s.options, v.Value); !ok {
				a.bad(s.q.ID, fid, "optie %q bestaat niet", v.Value)
			}
		case TypeMultiChoice:
			a.bad(s.q.ID, fid, "dit is een multichoice-vraag: schrijf %q in %s", v.Value, s.q.ID)
		case TypeYesNo:
			a.bad(s.q.ID, fid, "dit is een ja/nee-vraag: vergelijk met true of false, niet met %q", v.Value)
		case TypeList, TypeNumber, TypeScale:
			a.bad(s.q.ID, fid, "een %s kan niet gelijk zijn aan de tekst %q", s.kind, v.Value)
		}
	case *ast.BoolNode:
		if s.kind != TypeYesNo {
			a.bad(s.q.ID, fid, "dit is geen ja/nee-vraag: vergelijk niet met %v", v.Value)
		}
	}
}

func (a *analyser) visit(n ast.Node, coll *Question) {
	if n == nil {
		return
	}
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if i, ok := a.d.index[n.Value]; ok {
			a.seen[i] = true
		}
	case *ast.MemberNode:
		if ptr, ok := n.Node.(*ast.PointerNode); ok && ptr.Name == "" && coll != nil {
			if s, ok := n.Property.(*ast.StringNode); ok {
				if coll.Type == TypeList {
					if _, ok := coll.Field(s.Value); !ok {
						a.bad(coll.ID, "", "veld %q bestaat niet", s.Value)
					}
				} else {
					a.bad(coll.ID, "", "%s is geen lijstvraag: .%s bestaat niet", coll.ID, s.Value)
				}
			}
		}
	case *ast.BinaryNode:
		switch n.Operator {
		case "==", "!=":
			if s := a.subjectOf(n.Left, coll); s != nil {
				a.checkLiteral(s, n.Right)
			} else if s := a.subjectOf(n.Right, coll); s != nil {
				a.checkLiteral(s, n.Left)
			}
		case "in":
			if lit, ok := n.Left.(*ast.StringNode); ok {
				if q := a.question(n.Right); q != nil {
					switch q.Type {
					case TypeMultiChoice:
						if _, ok := q.Option(lit.Value); !ok {
							a.bad(q.ID, "", "optie %q bestaat niet", lit.Value)
						}
					default:
						a.bad(q.ID, "", "\"…\" in %s werkt alleen bij een multichoice-vraag", q.ID)
					}
				}
			}
			if arr, ok := n.Right.(*ast.ArrayNode); ok {
				if s := a.subjectOf(n.Left, coll); s != nil {
					for _, el := range arr.Nodes {
						a.checkLiteral(s, el)
					}
				}
			}
		}
	case *ast.BuiltinNode:
		// Predicates over a question: any(N1, {.rol == "bestuur"}).
		if len(n.Arguments) >= 2 {
			if q := a.question(n.Arguments[0]); q != nil {
				a.visit(n.Arguments[0], coll)
				for _, arg := range n.Arguments[1:] {
					if pred, ok := arg.(*ast.PredicateNode); ok {
						a.visit(pred.Node, q)
					} else {
						a.visit(arg, coll)
					}
				}
				return
			}
		}
	case *ast.PredicateNode:
		// A predicate over something that is not a question: its # is unknown.
		a.visit(n.Node, nil)
		return
	}
	for _, c := range children(n) {
		a.visit(c, coll)
	}
}

// children returns the direct child nodes (mirrors ast.Walk).
func children(n ast.Node) []ast.Node {
	switch n := n.(type) {
	case *ast.UnaryNode:
		return []ast.Node{n.Node}
	case *ast.BinaryNode:
		return []ast.Node{n.Left, n.Right}
	case *ast.ChainNode:
		return []ast.Node{n.Node}
	case *ast.MemberNode:
		return []ast.Node{n.Node, n.Property}
	case *ast.SliceNode:
		return []ast.Node{n.Node, n.From, n.To}
	case *ast.CallNode:
		return append([]ast.Node{n.Callee}, n.Arguments...)
	case *ast.BuiltinNode:
		return n.Arguments
	case *ast.PredicateNode:
		return []ast.Node{n.Node}
	case *ast.VariableDeclaratorNode:
		return []ast.Node{n.Value, n.Expr}
	case *ast.SequenceNode:
		return n.Nodes
	case *ast.ConditionalNode:
		return []ast.Node{n.Cond, n.Exp1, n.Exp2}
	case *ast.ArrayNode:
		return n.Nodes
	case *ast.MapNode:
		return n.Pairs
	case *ast.PairNode:
		return []ast.Node{n.Key, n.Value}
	}
	return nil
}

// dryRun runs every expression once with nothing answered and once with
// every question answered with a sample value, as a raadslid and as a
// wethouder, so expressions that fail at run time (for example `!K3` while
// K3 is unanswered) are found at load time instead of during evaluation.
func (l *loader) dryRun(d *Definition) {
	sample := Answers{}
	for _, q := range d.questions {
		sample[q.ID] = sampleValue(q)
	}
	type variant struct {
		name string
		a    Answers
		rc   runContext
	}
	variants := []variant{
		{"met alle vragen onbeantwoord", Answers{}, runContext{office: "raadslid", vogStatus: VOGNietGevraagd}},
		{"met alle vragen beantwoord", sample, runContext{office: "wethouder", vogStatus: VOGAfgegeven, vogIssued: true, vogExpired: true, deadlinePassed: true}},
	}
	var runner exprRunner
	for _, v := range variants {
		// Every question visible, so every show_if and rule sees values.
		env := make(map[string]any, d.envSize)
		env[VarOffice] = v.rc.office
		env[VarWethouder] = v.rc.office == "wethouder"
		env[VarLevel] = OfficeLevel(v.rc.office)
		env[VarExecutive] = IsExecutive(v.rc.office)
		env[VarVOGStatus] = v.rc.vogStatus
		env[VarVOGIssued] = v.rc.vogIssued
		env[VarVOGExpired] = v.rc.vogExpired
		env[VarDeadlinePassed] = v.rc.deadlinePassed
		for _, q := range d.questions {
			val := envValue(q, v.a[q.ID])
			if val == nil && (q.Type == TypeMultiChoice || q.Type == TypeList) {
				val = emptyList
			}
			env[q.ID] = val
		}
		for i, q := range d.questions {
			if p := d.showIf[i]; p != nil {
				if _, err := runner.run(p, env); err != nil {
					l.add(Problem{Question: q.ID, Line: l.qLine[q.ID], Message: fmt.Sprintf("show_if faalt %s: %v", v.name, err)})
				}
			}
		}
		for ri, r := range d.rules {
			if r.prog == nil {
				continue
			}
			if _, err := runner.run(r.prog, env); err != nil {
				l.add(Problem{Rule: d.Rules[ri].ID, Line: at(l.lines.rules, ri), Message: fmt.Sprintf("when faalt %s: %v", v.name, err)})
			}
		}
	}
}

func sampleValue(q *Question) any {
	switch q.Type {
	case TypeYesNo:
		return true
	case TypeChoice:
		return q.Options[0].ID
	case TypeMultiChoice:
		for _, o := range q.Options {
			if !o.Exclusive {
				return []any{o.ID}
			}
		}
		return []any{q.Options[0].ID}
	case TypeText, TypeLongText:
		return "voorbeeld"
	case TypeDate:
		return "2000-01-01"
	case TypeNumber:
		if q.Min != nil {
			return *q.Min
		}
		return 1.0
	case TypeScale:
		return 3.0
	case TypeList:
		item := map[string]any{}
		for i := range q.Fields {
			f := &q.Fields[i]
			switch f.Type {
			case TypeYesNo:
				item[f.ID] = true
			case TypeChoice:
				item[f.ID] = f.Options[0].ID
			case TypeText:
				item[f.ID] = "voorbeeld"
			case TypeDate:
				item[f.ID] = "2000-01-01"
			case TypeNumber:
				if f.Min != nil {
					item[f.ID] = *f.Min
				} else {
					item[f.ID] = 1.0
				}
			}
		}
		return []any{item}
	}
	return nil
}
