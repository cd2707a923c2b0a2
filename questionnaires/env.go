package questionnaires

import (
	"encoding/json"
	"time"

	"github.com/expr-lang/expr/types"
)

// Names of the context variables available to show_if and rule expressions,
// next to one variable per question id.
const (
	VarOffice         = "office"          // string: the round's office, e.g. "raadslid", "wethouder"
	VarWethouder      = "wethouder"       // bool: office == "wethouder" or K1 contains "wethouder"
	VarVOGStatus      = "vog_status"      // string: VOG status, "niet_gevraagd" when there is no record
	VarVOGIssued      = "vog_issued"      // bool: VOG status is "afgegeven"
	VarVOGExpired     = "vog_expired"     // bool: issued VOG older than the maximum VOG age
	VarDeadlinePassed = "deadline_passed" // bool: round deadline set and before now
	// Since questionnaire version 2 (more offices, docs/domain/ambten.md):
	VarLevel     = "level"     // string: the round's tier, "gemeente", "provincie" or "waterschap" (OfficeLevel)
	VarExecutive = "executive" // bool: an executive office (wethouder, gedeputeerde, waterschap_db) is the round's office, or one of the round's tier is in K1
)

// ContextVars lists the context variable names.
var ContextVars = []string{VarOffice, VarWethouder, VarVOGStatus, VarVOGIssued, VarVOGExpired, VarDeadlinePassed, VarLevel, VarExecutive}

// DefaultMaxVOGAgeDays is the default maximum age of a VOG.
const DefaultMaxVOGAgeDays = 183

// rolesQuestion is the question whose answer can make the wethouder variant
// of rules apply ("K1 contains wethouder").
const rolesQuestion = "K1"

// emptyList is the value of an unanswered multichoice or list question.
// Expressions cannot modify it, so one shared value is enough.
var emptyList any = []any{} // boxed once: assigning it does not allocate

// compileEnv builds the typed prototype environment the expressions are
// checked against. String-valued questions (choice, text, longtext, date)
// are typed as `any`: expr compiles `s == "x"` between two static strings
// to an unchecked string comparison that would panic on nil (unanswered);
// option literals are checked by the loader instead.
func (d *Definition) compileEnv() types.Map {
	m := types.Map{
		VarOffice:         types.String,
		VarWethouder:      types.Bool,
		VarVOGStatus:      types.String,
		VarVOGIssued:      types.Bool,
		VarVOGExpired:     types.Bool,
		VarDeadlinePassed: types.Bool,
		VarLevel:          types.String,
		VarExecutive:      types.Bool,
	}
	for _, q := range d.questions {
		switch q.Type {
		case TypeYesNo:
			m[q.ID] = types.Bool
		case TypeNumber, TypeScale:
			m[q.ID] = types.Float64
		case TypeMultiChoice, TypeList:
			m[q.ID] = types.TypeOf([]any{})
		default:
			m[q.ID] = types.Any
		}
	}
	return m
}

// runContext are the context values of one evaluation.
type runContext struct {
	office         string
	vogStatus      string
	vogIssued      bool
	vogExpired     bool
	deadlinePassed bool
}

func newRunContext(vog *VOG, ctx Context) runContext {
	rc := runContext{office: ctx.Office, vogStatus: VOGNietGevraagd}
	now := ctx.Now
	if now.IsZero() {
		now = time.Now()
	}
	if vog != nil && vog.Status != "" {
		rc.vogStatus = vog.Status
	}
	rc.vogIssued = rc.vogStatus == VOGAfgegeven
	if rc.vogStatus == VOGVerlopen {
		rc.vogExpired = true
	} else if rc.vogIssued {
		rc.vogExpired = VOGExpired(rc.vogStatus, vog.IssuedOn, ctx.MaxVOGAgeDays, now)
	}
	rc.deadlinePassed = !ctx.Deadline.IsZero() && ctx.Deadline.Before(now)
	return rc
}

// fillEnv builds the runtime environment for answers a in st.env and fills
// st.vis with each question's visibility. Hidden and
// unanswered questions get nil (scalar types) or an empty list (multichoice,
// list). show_if expressions only refer to earlier questions (checked at
// load), so one pass in questionnaire order is enough.
func (d *Definition) fillEnv(st *evalState, a Answers, rc runContext) error {
	if st.env == nil {
		st.env = make(map[string]any, d.envSize)
	}
	env, visible, runner := st.env, st.vis, &st.runner
	env[VarOffice] = rc.office
	env[VarVOGStatus] = rc.vogStatus
	env[VarVOGIssued] = rc.vogIssued
	env[VarVOGExpired] = rc.vogExpired
	env[VarDeadlinePassed] = rc.deadlinePassed
	level := OfficeLevel(rc.office)
	env[VarLevel] = boxedLevel(level)
	weth := rc.office == "wethouder"
	exec := IsExecutive(rc.office)
	if !weth || !exec {
		if q, ok := d.Question(rolesQuestion); ok && q.ShowIf == "" {
			if l, ok := envValue(q, a[rolesQuestion]).([]any); ok {
				for _, x := range l {
					s, _ := x.(string)
					if s == "wethouder" {
						weth = true
					}
					if IsExecutive(s) && OfficeLevel(s) == level { // an executive role of the round's tier
						exec = true
					}
				}
			}
		}
	}
	env[VarWethouder] = weth
	env[VarExecutive] = exec

	for i, q := range d.questions {
		show := true
		if p := d.showIf[i]; p != nil {
			var done bool
			if f := d.showFast[i]; f != nil {
				show, done = f(env)
			}
			if !done {
				out, err := runner.run(p, env)
				if err != nil {
					return &EvalError{Question: q.ID, Err: err}
				}
				show, _ = out.(bool)
			}
		}
		visible[i] = show
		var v any
		if show {
			v = envValue(q, a[q.ID])
		}
		if v == nil && (q.Type == TypeMultiChoice || q.Type == TypeList) {
			v = emptyList
		}
		env[q.ID] = v
	}
	return nil
}

// envValue returns the answer in the shape expressions expect, or nil when
// it is unanswered or has the wrong shape (never panics on odd input).
func envValue(q *Question, v any) any {
	if v == nil {
		return nil
	}
	// Return v itself where it has the right shape: converting a string or
	// float64 back to an interface would allocate.
	switch q.Type {
	case TypeYesNo:
		if _, ok := v.(bool); ok {
			return v
		}
	case TypeChoice, TypeText, TypeLongText, TypeDate:
		if s, ok := v.(string); ok && s != "" {
			return v
		}
	case TypeNumber, TypeScale:
		if _, ok := v.(float64); ok {
			return v
		}
		if f, ok := toFloat(v); ok {
			return f
		}
	case TypeMultiChoice:
		switch l := v.(type) {
		case []any:
			if len(l) > 0 {
				return v
			}
		case []string:
			if len(l) > 0 {
				out := make([]any, len(l))
				for i, s := range l {
					out[i] = s
				}
				return out
			}
		}
	case TypeList:
		switch l := v.(type) {
		case []any:
			return v
		case []map[string]any:
			out := make([]any, len(l))
			for i, m := range l {
				out[i] = m
			}
			return out
		}
	}
	return nil
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// VOGExpired is the one rule for an expired VOG: issued longer ago than
// the party allows (maxAgeDays; the default when not set). The profile,
// the committee's pages and the API all ask this.
func VOGExpired(status string, issuedOn *time.Time, maxAgeDays int, now time.Time) bool {
	if status != VOGAfgegeven || issuedOn == nil || issuedOn.IsZero() {
		return false
	}
	if maxAgeDays <= 0 {
		maxAgeDays = DefaultMaxVOGAgeDays
	}
	return now.Sub(*issuedOn) > time.Duration(maxAgeDays)*24*time.Hour
}

// boxedLevel returns the level as an interface value without allocating
// (a constant boxes statically; Evaluate is the hot path).
func boxedLevel(level string) any {
	switch level {
	case LevelProvincie:
		return LevelProvincie
	case LevelWaterschap:
		return LevelWaterschap
	}
	return LevelGemeente
}
