package questionnaires

import (
	"github.com/expr-lang/expr/ast"
)

// fastFn evaluates a simple expression without the expr VM. ok == false
// means "not sure": the caller runs the compiled program instead, so a fast
// path never changes a result or hides a run-time error.
//
// Most rules are comparisons of one answer with a literal (`F3 == "ja"`,
// `V7 == false`, `NT4 in ["a", "b"]`, `len(D1) > 0`) joined with && and ||.
// Evaluating those natively roughly halves the cost of Evaluate.
type fastFn func(env map[string]any) (result, ok bool)

// buildFast returns a fast path for the parsed expression, or nil when the
// expression has a shape it does not handle.
func (d *Definition) buildFast(n ast.Node) fastFn {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		// Only context variables that are always bool.
		switch n.Value {
		case VarWethouder, VarVOGIssued, VarVOGExpired, VarDeadlinePassed, VarExecutive:
			name := n.Value
			return func(env map[string]any) (bool, bool) {
				b, ok := env[name].(bool)
				return b, ok
			}
		}
	case *ast.UnaryNode:
		if n.Operator != "!" && n.Operator != "not" {
			return nil
		}
		inner := d.buildFast(n.Node)
		if inner == nil {
			return nil
		}
		return func(env map[string]any) (bool, bool) {
			v, ok := inner(env)
			return !v, ok
		}
	case *ast.BinaryNode:
		switch n.Operator {
		case "&&", "and", "||", "or":
			l, r := d.buildFast(n.Left), d.buildFast(n.Right)
			if l == nil || r == nil {
				return nil
			}
			stopOn := n.Operator == "||" || n.Operator == "or" // value that short-circuits
			return func(env map[string]any) (bool, bool) {
				lv, ok := l(env)
				if !ok {
					return false, false
				}
				if lv == stopOn {
					return lv, true
				}
				return r(env)
			}
		case "==", "!=":
			f := d.fastEqual(n.Left, n.Right)
			if f == nil {
				f = d.fastEqual(n.Right, n.Left)
			}
			if f == nil {
				return nil
			}
			if n.Operator == "==" {
				return f
			}
			return func(env map[string]any) (bool, bool) {
				v, ok := f(env)
				return !v, ok
			}
		case "in":
			return d.fastIn(n)
		case ">", ">=", "<", "<=":
			return d.fastCompare(n)
		}
	}
	return nil
}

func (d *Definition) envName(n ast.Node) (string, bool) {
	id, ok := n.(*ast.IdentifierNode)
	if !ok {
		return "", false
	}
	if _, ok := d.index[id.Value]; ok {
		return id.Value, true
	}
	for _, v := range ContextVars {
		if v == id.Value {
			return id.Value, true
		}
	}
	return "", false
}

// fastEqual handles `name == literal` for string, bool and nil literals.
func (d *Definition) fastEqual(a, b ast.Node) fastFn {
	name, ok := d.envName(a)
	if !ok {
		return nil
	}
	switch lit := b.(type) {
	case *ast.StringNode:
		want := lit.Value
		return func(env map[string]any) (bool, bool) {
			switch v := env[name].(type) {
			case string:
				return v == want, true
			case nil, bool, float64:
				return false, true
			}
			return false, false
		}
	case *ast.BoolNode:
		want := lit.Value
		return func(env map[string]any) (bool, bool) {
			switch v := env[name].(type) {
			case bool:
				return v == want, true
			case nil, string, float64:
				return false, true
			}
			return false, false
		}
	case *ast.NilNode:
		return func(env map[string]any) (bool, bool) {
			switch env[name].(type) {
			case nil:
				return true, true
			case string, bool, float64:
				return false, true
			}
			return false, false // typed nils and lists: let expr decide
		}
	}
	return nil
}

// fastIn handles `name in ["a", "b"]` and `"a" in name`.
func (d *Definition) fastIn(n *ast.BinaryNode) fastFn {
	if name, ok := d.envName(n.Left); ok {
		arr, ok := n.Right.(*ast.ArrayNode)
		if !ok || len(arr.Nodes) == 0 {
			return nil
		}
		set := make([]string, 0, len(arr.Nodes))
		for _, el := range arr.Nodes {
			s, ok := el.(*ast.StringNode)
			if !ok {
				return nil
			}
			set = append(set, s.Value)
		}
		return func(env map[string]any) (bool, bool) {
			v, ok := env[name].(string)
			if !ok {
				return false, false
			}
			for _, s := range set {
				if s == v {
					return true, true
				}
			}
			return false, true
		}
	}
	lit, ok := n.Left.(*ast.StringNode)
	if !ok {
		return nil
	}
	name, ok := d.envName(n.Right)
	if !ok {
		return nil
	}
	want := lit.Value
	return func(env map[string]any) (bool, bool) {
		l, ok := env[name].([]any)
		if !ok {
			return false, false
		}
		for _, x := range l {
			switch s := x.(type) {
			case string:
				if s == want {
					return true, true
				}
			case nil, bool, float64:
			default:
				return false, false
			}
		}
		return false, true
	}
}

// fastCompare handles `len(name) > 0` and `name >= 4` (number answers).
func (d *Definition) fastCompare(n *ast.BinaryNode) fastFn {
	var lit float64
	switch r := n.Right.(type) {
	case *ast.IntegerNode:
		lit = float64(r.Value)
	case *ast.FloatNode:
		lit = r.Value
	default:
		return nil
	}
	cmp := func(x float64) bool {
		switch n.Operator {
		case ">":
			return x > lit
		case ">=":
			return x >= lit
		case "<":
			return x < lit
		}
		return x <= lit
	}
	if b, ok := n.Left.(*ast.BuiltinNode); ok {
		if b.Name != "len" || len(b.Arguments) != 1 {
			return nil
		}
		name, ok := d.envName(b.Arguments[0])
		if !ok {
			return nil
		}
		return func(env map[string]any) (bool, bool) {
			l, ok := env[name].([]any)
			if !ok {
				return false, false
			}
			return cmp(float64(len(l))), true
		}
	}
	name, ok := d.envName(n.Left)
	if !ok {
		return nil
	}
	return func(env map[string]any) (bool, bool) {
		f, ok := env[name].(float64)
		if !ok {
			return false, false
		}
		return cmp(f), true
	}
}
