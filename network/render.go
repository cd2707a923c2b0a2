package network

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/goccy/go-graphviz"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// shapes mark levels by shape and word, never by colour alone.
var shapes = map[questionnaires.Level]string{
	questionnaires.LevelGeen:   "ellipse",
	questionnaires.LevelInfo:   "box",
	questionnaires.LevelOranje: "diamond",
	questionnaires.LevelRood:   "octagon",
	questionnaires.LevelBlok:   "doubleoctagon",
}

var fills = map[questionnaires.Level]string{
	questionnaires.LevelGeen:   "#e8f3ec",
	questionnaires.LevelInfo:   "#e3ecf7",
	questionnaires.LevelOranje: "#fbe9d2",
	questionnaires.LevelRood:   "#f6d5d8",
	questionnaires.LevelBlok:   "#d9d9d9",
}

func dotQuote(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "").Replace(s)
	return `"` + s + `"`
}

// DOT writes the graph in Graphviz's language: the candidate in the middle
// (neato layout), organisations around, edges labelled by role; each node's
// label carries its level as a word.
func DOT(g GraphModel) string {
	var b strings.Builder
	b.WriteString("graph netwerk {\n  layout=neato; overlap=false; splines=true; sep=\"+12\";\n")
	b.WriteString("  node [fontname=\"Helvetica\", fontsize=11, style=filled, penwidth=1.5];\n  edge [fontname=\"Helvetica\", fontsize=9, color=\"#505a5f\"];\n")
	for _, n := range g.Nodes {
		lvl := n.Level
		if !lvl.Valid() {
			lvl = questionnaires.LevelGeen
		}
		shape := shapes[lvl]
		label := n.Label
		if n.Kind == KindCandidate {
			shape = "box"
		}
		label += "\n[" + string(lvl) + "]"
		extra := ""
		if n.Kind == KindCandidate {
			extra = ", penwidth=3, fontsize=13"
		}
		fmt.Fprintf(&b, "  %s [label=%s, shape=%s, fillcolor=%s%s];\n", dotQuote(n.ID), dotQuote(label), shape, dotQuote(fills[lvl]), extra)
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&b, "  %s -- %s [label=%s];\n", dotQuote(e.From), dotQuote(e.To), dotQuote(e.Label))
	}
	b.WriteString("}\n")
	return b.String()
}

// SVG draws the graph with Graphviz (pure Go, WebAssembly).
func SVG(ctx context.Context, g GraphModel) ([]byte, error) {
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, err
	}
	defer gv.Close()
	graph, err := graphviz.ParseBytes([]byte(DOT(g)))
	if err != nil {
		return nil, err
	}
	defer graph.Close()
	var buf bytes.Buffer
	if err := gv.Render(ctx, graph, graphviz.SVG, &buf); err != nil {
		return nil, err
	}
	out := buf.Bytes()
	if i := bytes.Index(out, []byte("<svg")); i > 0 {
		out = out[i:] // drop the XML prolog and doctype
	}
	return out, nil
}
