package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// The candidate's pages: the invitation landing, consent, one page per
// section, review and submit, export, hearing reply and withdrawal. They
// use the same Store calls as the JSON handlers in api/me.go and
// api/review.go; the answers go through Store.SaveAnswers, which validates.

func (p *Pages) candidateRoutes(r routeFn) []apiRoute {
	self := api.CandidateSelf
	return []apiRoute{
		r("GET", "/uitnodiging/:token", api.Public, p.invitation),
		r("POST", "/uitnodiging/:token", api.Public, p.acceptInvitation),
		r("GET", "/link-aanvragen", api.Public, p.linkForm),
		r("POST", "/link-aanvragen", api.Public, p.linkRequest),
		r("GET", "/scan", self, p.scanHome),
		r("POST", "/scan/toestemming", self, p.scanConsent),
		r("GET", "/scan/stap/:n", self, p.scanStep),
		r("POST", "/scan/stap/:n", self, p.scanSaveStep),
		r("GET", "/scan/later", self, p.scanLater),
		r("GET", "/scan/controleren", self, p.scanReview),
		r("POST", "/scan/indienen", self, p.scanSubmit),
		r("GET", "/scan/ontvangen", self, p.scanReceived),
		r("GET", "/scan/export", self, p.scanExport),
		r("GET", "/scan/reactie", self, p.scanHearing),
		r("POST", "/scan/reactie", self, p.scanHearingReply),
		r("GET", "/scan/terugtrekken", self, p.scanWithdrawForm),
		r("POST", "/scan/terugtrekken", self, p.scanWithdraw),
	}
}

// ---- shared helpers ----

// scanView is the layout data of a candidate page.
func (p *Pages) scanView(c *fiber.Ctx, title string) View {
	v := p.base(c, title)
	v.Narrow = true
	v.Styles = []string{"scan.css"}
	v.Scripts = []string{"scan.js"}
	path := c.Path()
	v.Nav = []NavItem{
		{Href: "/scan", Label: "Overzicht", Current: path == "/scan"},
		{Href: "/scan/export", Label: "Uw gegevens", Current: path == "/scan/export"},
	}
	return v
}

// scanLoad re-reads the candidate with its questionnaire and answers (the
// session's copy of the candidate may be stale).
func (p *Pages) scanLoad(c *fiber.Ctx) (*models.CompileInput, error) {
	return p.store.CompileInput(c.UserContext(), api.CandidateOf(c).ID)
}

// scanFormValues reads an urlencoded (or multipart) form with repeated keys.
func scanFormValues(c *fiber.Ctx) url.Values {
	vals := url.Values{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) { vals.Add(string(k), string(v)) })
	if mf, err := c.MultipartForm(); err == nil && mf != nil {
		for k, vs := range mf.Value {
			for _, v := range vs {
				vals.Add(k, v)
			}
		}
	}
	return vals
}

func scanEditable(k *models.Candidate) bool { return models.Allowed(k.Status, models.ActAnswer) }

// scanOpenHearing is the hearing the candidate can still reply to, if any.
func (p *Pages) scanOpenHearing(ctx context.Context, k *models.Candidate) (*models.HearingView, error) {
	hs, err := p.store.Hearings(ctx, k)
	if err != nil || len(hs) == 0 {
		return nil, err
	}
	last := hs[len(hs)-1]
	if last.RepliedAt == nil && p.store.Now().Before(last.ReplyDue) {
		return &last, nil
	}
	return nil, nil
}

// scanLowerFirst makes "Nevenfunctie" read "nevenfunctie" inside a sentence.
func scanLowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

func scanItemName(q *questionnaires.Question) string {
	if q.Item.NL != "" {
		return q.Item.NL
	}
	return "Regel"
}

// ---- invitation landing ----

func scanValidToken(t string) bool { return t != "" && len(t) <= 128 }

func (p *Pages) invitation(c *fiber.Ctx) error {
	token := c.Params("token")
	if !scanValidToken(token) {
		return api.ToError(models.ErrNotFound)
	}
	// A hearing, reopen or requested link lands here too: the page says
	// what that link is for instead of inviting the candidate again.
	purpose, err := p.store.LinkPurpose(c.UserContext(), token)
	if err != nil {
		return err
	}
	title := map[string]string{models.LinkHearing: "Vragen van de selectiecommissie", models.LinkReopen: "Uw scan is teruggestuurd",
		models.LinkAccess: "Uw weerbaarheidsscan"}[purpose]
	if title == "" {
		title, purpose = "Uitnodiging voor de weerbaarheidsscan", models.LinkInvitation
	}
	v := p.base(c, title)
	v.Narrow = true
	v.Styles = []string{"scan.css"}
	v.Data = map[string]any{"Token": token, "Purpose": purpose}
	return p.render(c, 0, "scan_invitation", v)
}

// acceptInvitation opens the candidate session. It only runs on POST, so a
// mail scanner that follows the link does not accept the invitation.
func (p *Pages) acceptInvitation(c *fiber.Ctx) error {
	token := c.Params("token")
	if !scanValidToken(token) {
		return api.ToError(models.ErrNotFound)
	}
	// A visitor with a live session posted the session's CSRF token, which
	// the API middleware already checked; everyone else uses the form cookie.
	if api.Principal(c) == nil {
		if err := checkAnonCSRF(c); err != nil {
			return err
		}
	}
	sess, _, err := p.store.AcceptInvitation(c.UserContext(), token)
	if err != nil {
		return err
	}
	p.setSession(c, sess)
	return redirect(c, "/scan")
}

// ---- a new link by e-mail address ----

type linkData struct {
	Email, Message string
	Sent           bool
}

func (p *Pages) linkView(c *fiber.Ctx, d linkData) View {
	v := p.base(c, "Nieuwe link aanvragen")
	v.Narrow = true
	v.Styles = []string{"scan.css"}
	v.Data = d
	return v
}

func (p *Pages) linkForm(c *fiber.Ctx) error {
	return p.render(c, 0, "scan_link", p.linkView(c, linkData{}))
}

// linkRequest mails a new link to the files of the address; the page says
// the same whether the address is known or not.
func (p *Pages) linkRequest(c *fiber.Ctx) error {
	if err := checkAnonCSRF(c); err != nil {
		return err
	}
	email := strings.TrimSpace(c.FormValue("email"))
	d := linkData{Email: email}
	var msg string
	switch {
	case email == "":
		msg = "Vul uw e-mailadres in."
	case utf8.RuneCountInString(email) > 254 || !strings.Contains(email, "@") || strings.ContainsAny(email, " \t\r\n<>"):
		msg = "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."
	}
	if msg != "" {
		v := p.linkView(c, d)
		v.Errors = []FieldError{{"email", msg}}
		return p.render(c, fiber.StatusUnprocessableEntity, "scan_link", v)
	}
	if err := p.api.RequestLinks(c, email); err != nil {
		return err
	}
	return p.render(c, 0, "scan_link", p.linkView(c, linkData{Sent: true, Message: api.LinkRequested}))
}

// ---- start page: consent, overview, status ----

type scanPrivacyBlock struct{ Heading, Body string }

// scanPrivacyBlocks splits the privacy statement into headed paragraphs: each
// block's first line is its heading when the block has more lines.
func scanPrivacyBlocks(text string) []scanPrivacyBlock {
	var out []scanPrivacyBlock
	for _, b := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		b = strings.TrimSpace(b)
		if b == "" {
			continue
		}
		head, body, ok := strings.Cut(b, "\n")
		if !ok {
			out = append(out, scanPrivacyBlock{Body: b})
			continue
		}
		out = append(out, scanPrivacyBlock{Heading: strings.TrimSpace(head), Body: strings.TrimSpace(body)})
	}
	return out
}

type scanSectionStatus struct {
	N       int
	Title   string
	Done    bool
	Missing int
}

type scanHomeData struct {
	Name          string
	Status        string
	StatusNL      string
	Consent       bool
	Editable      bool
	Privacy       []scanPrivacyBlock
	PrivacyVer    int
	Intro         string
	Sections      []scanSectionStatus
	Answered      int
	Total         int
	NextStep      string
	AllDone       bool
	Deadline      time.Time
	ReopenMessage string
	Hearing       *models.HearingView
	HasHearings   bool
	CanWithdraw   bool
	SubmittedAt   *time.Time
	WithdrawnAt   *time.Time
	Checked       bool
}

func (p *Pages) scanHome(c *fiber.Ctx) error {
	return p.scanRenderHome(c, 0, nil)
}

func (p *Pages) scanRenderHome(c *fiber.Ctx, status int, errs []FieldError) error {
	ctx := c.UserContext()
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	k, def := in.Candidate, in.Def
	d := scanHomeData{Name: k.Name, Status: string(k.Status), StatusNL: StatusNL(k.Status), Consent: k.ConsentAt != nil,
		Editable: scanEditable(k), PrivacyVer: def.Privacy.Version, Intro: def.Intro.NL, Deadline: in.Round.Deadline,
		CanWithdraw: models.Allowed(k.Status, models.ActWithdraw), SubmittedAt: k.SubmittedAt, WithdrawnAt: k.WithdrawnAt}
	if k.InviteExpiresAt != nil && k.InviteExpiresAt.Before(d.Deadline) {
		d.Deadline = *k.InviteExpiresAt
	}
	if d.ReopenMessage, err = p.store.ReopenMessage(k); err != nil {
		return err
	}
	hs, err := p.store.Hearings(ctx, k)
	if err != nil {
		return err
	}
	d.HasHearings = len(hs) > 0
	if d.Hearing, err = p.scanOpenHearing(ctx, k); err != nil {
		return err
	}
	title := "Uw scan"
	switch {
	case d.Editable && !d.Consent:
		title = "Voordat u begint"
		d.Privacy = scanPrivacyBlocks(def.Privacy.Text.NL)
	case d.Editable:
		title = "Uw weerbaarheidsscan"
		missing := map[string]bool{}
		for _, id := range def.Missing(in.Answers) {
			missing[id] = true
		}
		d.Answered, d.Total = def.Progress(in.Answers)
		for i, s := range def.Sections {
			st := scanSectionStatus{N: i + 1, Title: s.Title.NL}
			for _, q := range s.Questions {
				if missing[q.ID] {
					st.Missing++
				}
			}
			st.Done = st.Missing == 0
			if !st.Done && d.NextStep == "" {
				d.NextStep = "/scan/stap/" + strconv.Itoa(i+1)
			}
			d.Sections = append(d.Sections, st)
		}
		d.AllDone = d.NextStep == ""
		if d.AllDone {
			d.NextStep = "/scan/controleren"
		}
	case k.Status == models.StatusWithdrawn:
		title = "U hebt zich teruggetrokken"
	case k.Status == models.StatusExpired || k.Status == models.StatusRevoked:
		title = "Uw uitnodiging werkt niet meer"
	default:
		title = "Uw scan is ingediend"
	}
	v := p.scanView(c, title)
	v.Errors = errs
	d.Checked = c.Method() == fiber.MethodPost && c.FormValue("akkoord") != ""
	v.Data = d
	return p.render(c, status, "scan_home", v)
}

func (p *Pages) scanConsent(c *fiber.Ctx) error {
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	if in.Candidate.ConsentAt != nil {
		return redirect(c, "/scan")
	}
	if c.FormValue("akkoord") != "ja" {
		return p.scanRenderHome(c, fiber.StatusUnprocessableEntity, []FieldError{{"akkoord",
			"Zet een vinkje bij „Ik heb dit gelezen en ga akkoord”. Zonder uw toestemming kunt u de scan niet invullen."}})
	}
	version, _ := strconv.Atoi(c.FormValue("versie"))
	err = p.store.Consent(c.UserContext(), in.Candidate, version)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return p.scanRenderHome(c, fiber.StatusUnprocessableEntity, []FieldError{{"akkoord",
			"De privacyverklaring is gewijzigd. Lees de verklaring hieronder opnieuw en geef opnieuw toestemming."}})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/scan/stap/1")
}

// ---- form state: what a question's inputs hold ----

// scanState is what a question's inputs hold, as strings (from saved answers
// or from a posted form, so that a failed save keeps what was typed).
type scanState struct {
	Set    bool                // the form carried the question (scalars)
	Value  string              // scalar
	Values []string            // multichoice
	Rows   []map[string]string // list items: field id → entered text
	Empty  bool                // list: "none" chosen
}

func scanNumber(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}

// scanScalarString turns a saved value into what its input shows.
func scanScalarString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "ja"
		}
		return "nee"
	case float64:
		return scanNumber(x)
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func scanStateFromAnswer(q *questionnaires.Question, v any) scanState {
	if v == nil {
		return scanState{}
	}
	st := scanState{Set: true}
	switch q.Type {
	case questionnaires.TypeMultiChoice:
		l, _ := v.([]any)
		for _, x := range l {
			if s, ok := x.(string); ok {
				st.Values = append(st.Values, s)
			}
		}
	case questionnaires.TypeList:
		l, _ := v.([]any)
		if len(l) == 0 {
			st.Empty = true
		}
		for _, x := range l {
			m, _ := x.(map[string]any)
			row := map[string]string{}
			for fid, fv := range m {
				row[fid] = scanScalarString(fv)
			}
			st.Rows = append(st.Rows, row)
		}
	default:
		st.Value = scanScalarString(v)
	}
	return st
}

var scanRowKey = regexp.MustCompile(`^(\d{1,4})\.(\w+)$`)

func scanStateFromForm(q *questionnaires.Question, vals url.Values) scanState {
	var st scanState
	switch q.Type {
	case questionnaires.TypeMultiChoice:
		vs, ok := vals[q.ID]
		st.Set = ok
		for _, s := range vs {
			if s = strings.TrimSpace(s); s != "" {
				st.Values = append(st.Values, s)
			}
		}
	case questionnaires.TypeList:
		prefix := q.ID + "."
		rows := map[int]map[string]string{}
		for key, vs := range vals {
			rest, ok := strings.CutPrefix(key, prefix)
			if !ok {
				continue
			}
			st.Set = true
			m := scanRowKey.FindStringSubmatch(rest)
			if m == nil {
				continue
			}
			i, _ := strconv.Atoi(m[1])
			if rows[i] == nil {
				rows[i] = map[string]string{}
			}
			if m[2] != "_item" && len(vs) > 0 {
				rows[i][m[2]] = vs[0]
			}
		}
		idx := make([]int, 0, len(rows))
		for i := range rows {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		for _, i := range idx {
			st.Rows = append(st.Rows, rows[i])
		}
		st.Empty = vals.Get(prefix+"leeg") == "ja"
	default:
		vs, ok := vals[q.ID]
		st.Set = ok
		if ok && len(vs) > 0 {
			st.Value = vs[0]
		}
	}
	return st
}

var (
	scanReThousands = regexp.MustCompile(`^-?\d{1,3}(\.\d{3})+$`)
	scanReNumber    = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
)

// scanParseNumber reads "12,5", "1.500", "€ 300" and "12.5". scan.js has
// the same rules.
func scanParseNumber(s string) (float64, bool) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimPrefix(s, "€")
	if strings.Contains(s, ",") {
		s = strings.Replace(strings.ReplaceAll(s, ".", ""), ",", ".", 1)
	} else if scanReThousands.MatchString(s) {
		s = strings.ReplaceAll(s, ".", "")
	}
	if !scanReNumber.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// scanScalarValue turns one input's text into its JSON value; text that does
// not fit the type is sent as is, so that the server names the problem.
func scanScalarValue(typ, s string) any {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	switch typ {
	case questionnaires.TypeYesNo:
		switch s {
		case "ja":
			return true
		case "nee":
			return false
		}
	case questionnaires.TypeNumber, questionnaires.TypeScale:
		if f, ok := scanParseNumber(s); ok {
			return f
		}
	}
	return s
}

// value is the JSON answer of a question's state. send is false when the
// form did not carry the question (an untouched radio group); sentRows maps
// the position of each sent list item to its row; local is an error the
// form itself has (before the questionnaire's validation).
func (st scanState) value(q *questionnaires.Question) (v any, send bool, sentRows []int, local string) {
	switch q.Type {
	case questionnaires.TypeMultiChoice:
		if !st.Set {
			return nil, false, nil, ""
		}
		if len(st.Values) == 0 {
			return nil, true, nil, ""
		}
		l := make([]any, len(st.Values))
		for i, s := range st.Values {
			l[i] = s
		}
		return l, true, nil, ""
	case questionnaires.TypeList:
		if !st.Set {
			return nil, false, nil, ""
		}
		items := []any{}
		for ri, row := range st.Rows {
			item := map[string]any{}
			for fi := range q.Fields {
				f := &q.Fields[fi]
				if x := scanScalarValue(f.Type, row[f.ID]); x != nil {
					item[f.ID] = x
				}
			}
			if len(item) == 0 {
				continue // a blank row is no item
			}
			items = append(items, item)
			sentRows = append(sentRows, ri)
		}
		switch {
		case st.Empty && len(items) > 0:
			return nil, false, sentRows, "U hebt „" + q.EmptyText.NL + "” aangevinkt en ook iets ingevuld. Haal het vinkje weg, of maak de ingevulde velden leeg."
		case st.Empty:
			return []any{}, true, nil, ""
		case len(items) == 0:
			return nil, true, nil, ""
		}
		return items, true, sentRows, ""
	default:
		if !st.Set {
			return nil, false, nil, ""
		}
		return scanScalarValue(q.Type, st.Value), true, nil, ""
	}
}

// ---- the step page ----

type scanOpt struct {
	InputID, Value, Label string
	Checked, Exclusive    bool
}

type scanField struct {
	Key, Type, InputID, Name, Label, Hint, Value, Error, Describe, Inputmode string
	Optional, Autofocus, Group                                               bool
	Options                                                                  []scanOpt
}

type scanItem struct {
	Legend, LegendID, Marker, RemoveValue, RemoveLabel string
	Fields                                             []scanField
}

type scanQuestion struct {
	ID, Type, Text, Hint, Why, Error, Describe, Value, Inputmode, Cond string
	Optional, Hidden, Group, Long, Short                               bool
	Options                                                            []scanOpt
	// list
	Items                               []scanItem
	Blank                               scanItem
	EmptyText, EmptyID, AddID, AddLabel string
	AddValue, ListMarker, ItemName      string
	Empty, AddAutofocus                 bool
	Max                                 int
}

type scanStepData struct {
	N, Total     int
	Title, Intro string
	Questions    []scanQuestion
	Visible      string
	Prev         bool
}

func scanStepOf(c *fiber.Ctx, def *questionnaires.Definition) (int, *questionnaires.Section, error) {
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 1 || n > len(def.Sections) {
		return 0, nil, api.ToError(models.ErrNotFound)
	}
	return n, &def.Sections[n-1], nil
}

func scanSectionQuestions(def *questionnaires.Definition, s *questionnaires.Section) []*questionnaires.Question {
	out := make([]*questionnaires.Question, 0, len(s.Questions))
	for _, sq := range s.Questions {
		if q, ok := def.Question(sq.ID); ok {
			out = append(out, q)
		}
	}
	return out
}

func scanDescribe(ids ...string) string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return strings.Join(out, " ")
}

func scanOptions(base string, opts []questionnaires.Option, checked func(string) bool) []scanOpt {
	out := make([]scanOpt, len(opts))
	for i, o := range opts {
		id := base
		if i > 0 {
			id = base + "-" + o.ID
		}
		out[i] = scanOpt{InputID: id, Value: o.ID, Label: o.Text.NL, Checked: checked(o.ID), Exclusive: o.Exclusive}
	}
	return out
}

func scanYesNo(base, value string) []scanOpt {
	return []scanOpt{
		{InputID: base, Value: "ja", Label: "Ja", Checked: value == "ja"},
		{InputID: base + "-nee", Value: "nee", Label: "Nee", Checked: value == "nee"},
	}
}

func scanInputmode(integer bool) string {
	if integer {
		return "numeric"
	}
	return "decimal"
}

// scanBuildField is one field of a list item; idx is the row index or "__I__"
// in the template row.
func scanBuildField(q *questionnaires.Question, f *questionnaires.Field, idx string, value string, errMsg string) scanField {
	id := q.ID + "-" + idx + "-" + f.ID
	fv := scanField{Key: f.ID, Type: f.Type, InputID: id, Name: q.ID + "." + idx + "." + f.ID, Label: f.Text.NL,
		Hint: f.Hint.NL, Value: value, Error: errMsg, Optional: f.Optional}
	if f.Type == questionnaires.TypeDate && fv.Hint == "" {
		fv.Hint = "Bijvoorbeeld 2019-09-01"
	}
	switch f.Type {
	case questionnaires.TypeYesNo:
		fv.Group, fv.Options = true, scanYesNo(id, value)
	case questionnaires.TypeChoice:
		fv.Group, fv.Options = true, scanOptions(id, f.Options, func(o string) bool { return o == value })
	case questionnaires.TypeNumber:
		fv.Inputmode = scanInputmode(f.Integer)
	}
	var hint, errID string
	if fv.Hint != "" {
		hint = id + "-hint"
	}
	if errMsg != "" {
		errID = id + "-error"
	}
	fv.Describe = scanDescribe(hint, errID)
	return fv
}

// scanListErrorTarget finds the row and field a list message is about:
// "Nevenfunctie 2: vul bij de begindatum een datum in …" → row of sent item
// 2, the field whose name the message mentions (else the first field).
func scanListErrorTarget(q *questionnaires.Question, msg string, sentRows []int) (row int, field string, ok bool) {
	prefix := scanItemName(q) + " "
	rest, found := strings.CutPrefix(msg, prefix)
	if !found {
		return 0, "", false
	}
	num, detail, found := strings.Cut(rest, ":")
	n, err := strconv.Atoi(num)
	if !found || err != nil || n < 1 || n > len(sentRows) {
		return 0, "", false
	}
	row = sentRows[n-1]
	best := 0
	if len(q.Fields) > 0 {
		field = q.Fields[0].ID
	}
	for i := range q.Fields {
		f := &q.Fields[i]
		name := f.Name.NL
		if name == "" {
			name = "„" + strings.TrimSuffix(f.Text.NL, "?") + "”"
		}
		if strings.Contains(detail, name) && len(name) > best {
			best, field = len(name), f.ID
		}
	}
	return row, field, true
}

// scanStepInput is what a step page shows: the state per question, the
// visibility, errors per question id, and which input gets focus.
type scanStepInput struct {
	states    map[string]scanState
	visible   map[string]bool
	errs      map[string]string
	sentRows  map[string][]int
	focus     string
	autoBlank bool // an unanswered list starts with one empty item
}

func scanCond(expr string, onPage map[string]bool) string {
	expr = strings.TrimSpace(expr)
	var cond map[string]any
	if m := scanReEqBool.FindStringSubmatch(expr); m != nil {
		cond = map[string]any{"q": m[1], "eq": m[2] == "true"}
	} else if m := scanReEqStr.FindStringSubmatch(expr); m != nil {
		cond = map[string]any{"q": m[1], "eq": m[2]}
	} else if m := scanReLen.FindStringSubmatch(expr); m != nil {
		cond = map[string]any{"q": m[1], "nonempty": true}
	} else if m := scanReHas.FindStringSubmatch(expr); m != nil {
		cond = map[string]any{"q": m[2], "has": m[1]}
	} else if m := scanReIn.FindStringSubmatch(expr); m != nil {
		var vs []string
		for _, s := range scanReQuoted.FindAllStringSubmatch(m[2], -1) {
			vs = append(vs, s[1])
		}
		cond = map[string]any{"q": m[1], "in": vs}
	}
	if cond == nil || !onPage[cond["q"].(string)] {
		return "" // left to the server: the page re-renders after saving
	}
	b, _ := json.Marshal(cond)
	return string(b)
}

var (
	scanReEqBool = regexp.MustCompile(`^(\w+)\s*==\s*(true|false)$`)
	scanReEqStr  = regexp.MustCompile(`^(\w+)\s*==\s*"([^"]*)"$`)
	scanReLen    = regexp.MustCompile(`^len\((\w+)\)\s*>\s*0$`)
	scanReHas    = regexp.MustCompile(`^"([^"]*)"\s+in\s+(\w+)$`)
	scanReIn     = regexp.MustCompile(`^(\w+)\s+in\s+\[((?:\s*"[^"]*"\s*,?)+)\]$`)
	scanReQuoted = regexp.MustCompile(`"([^"]*)"`)
)

func scanBuildStep(def *questionnaires.Definition, n int, sec *questionnaires.Section, in scanStepInput) (scanStepData, []FieldError) {
	qs := scanSectionQuestions(def, sec)
	onPage := map[string]bool{}
	for _, q := range qs {
		onPage[q.ID] = true
	}
	d := scanStepData{N: n, Total: len(def.Sections), Title: sec.Title.NL, Intro: sec.Intro.NL, Prev: n > 1}
	var errs []FieldError
	var visible []string
	for _, q := range qs {
		st := in.states[q.ID]
		msg := in.errs[q.ID]
		qv := scanQuestion{ID: q.ID, Type: q.Type, Text: q.Text.NL, Hint: q.Hint.NL, Why: q.Why.NL, Optional: q.Optional,
			Hidden: !in.visible[q.ID]}
		if !qv.Hidden {
			visible = append(visible, q.ID)
		}
		if q.ShowIf != "" {
			qv.Cond = scanCond(q.ShowIf, onPage)
		}
		if q.Type == questionnaires.TypeDate && qv.Hint == "" {
			qv.Hint = "Bijvoorbeeld 2019-09-01"
		}
		if q.Type == questionnaires.TypeScale && qv.Hint == "" {
			qv.Hint = "Kies een getal van 1 tot en met 5."
		}
		switch q.Type {
		case questionnaires.TypeYesNo:
			qv.Group, qv.Options = true, scanYesNo(q.ID, st.Value)
		case questionnaires.TypeChoice:
			qv.Group, qv.Options = true, scanOptions(q.ID, q.Options, func(o string) bool { return o == st.Value })
		case questionnaires.TypeMultiChoice:
			qv.Group, qv.Options = true, scanOptions(q.ID, q.Options, func(o string) bool {
				for _, x := range st.Values {
					if x == o {
						return true
					}
				}
				return false
			})
		case questionnaires.TypeScale:
			qv.Group = true
			for i := questionnaires.ScaleMin; i <= questionnaires.ScaleMax; i++ {
				s := strconv.Itoa(i)
				id := q.ID
				if i > questionnaires.ScaleMin {
					id = q.ID + "-" + s
				}
				label := s
				if q.ScaleLabels != nil && i == questionnaires.ScaleMin {
					label += " – " + q.ScaleLabels.Min.NL
				}
				if q.ScaleLabels != nil && i == questionnaires.ScaleMax {
					label += " – " + q.ScaleLabels.Max.NL
				}
				qv.Options = append(qv.Options, scanOpt{InputID: id, Value: s, Label: label, Checked: st.Value == s})
			}
		case questionnaires.TypeLongText:
			qv.Long, qv.Value = true, st.Value
		case questionnaires.TypeNumber:
			qv.Short, qv.Value, qv.Inputmode = true, st.Value, scanInputmode(q.Integer)
		case questionnaires.TypeDate:
			qv.Short, qv.Value = true, st.Value
		case questionnaires.TypeList:
			qv.Group = true
			scanBuildList(q, st, msg, in, &qv, &errs)
		default:
			qv.Value = st.Value
		}
		if q.Type != questionnaires.TypeList && msg != "" {
			qv.Error = msg
			errs = append(errs, FieldError{Field: q.ID, Message: msg})
		}
		var hint, errID string
		if qv.Hint != "" {
			hint = q.ID + "-hint"
		}
		if qv.Error != "" {
			errID = q.ID + "-error"
		}
		qv.Describe = scanDescribe(hint, errID)
		d.Questions = append(d.Questions, qv)
	}
	d.Visible = strings.Join(visible, " ")
	return d, errs
}

func scanBuildList(q *questionnaires.Question, st scanState, msg string, in scanStepInput, qv *scanQuestion, errs *[]FieldError) {
	name := scanItemName(q)
	qv.ItemName = name
	qv.EmptyText = q.EmptyText.NL
	qv.EmptyID = q.ID + "-leeg"
	qv.Empty = st.Empty
	qv.AddID = q.ID + "-toevoegen"
	qv.AddValue = "toevoegen:" + q.ID
	qv.AddLabel = "Nog een " + scanLowerFirst(name) + " toevoegen"
	qv.ListMarker = q.ID + "._lijst"
	qv.Max = q.MaxItems
	if qv.Max <= 0 {
		qv.Max = questionnaires.DefaultMaxItems
	}
	rows := st.Rows
	if in.autoBlank && len(rows) == 0 && !st.Empty {
		rows = []map[string]string{{}}
	}
	// Where does the message belong: one field of one item, or the list?
	errRow, errField, itemErr := -1, "", false
	if msg != "" {
		errRow, errField, itemErr = scanListErrorTarget(q, msg, in.sentRows[q.ID])
	}
	item := func(idx, number string, row map[string]string, ri int) scanItem {
		iv := scanItem{Legend: name + " " + number, LegendID: q.ID + "-" + idx + "-legend", Marker: q.ID + "." + idx + "._item",
			RemoveValue: "verwijderen:" + q.ID + ":" + idx, RemoveLabel: scanLowerFirst(name) + " " + number}
		for fi := range q.Fields {
			f := &q.Fields[fi]
			e := ""
			if itemErr && ri == errRow && f.ID == errField {
				e = msg
			}
			fv := scanBuildField(q, f, idx, row[f.ID], e)
			if fv.InputID == in.focus {
				fv.Autofocus = true
			}
			if e != "" {
				*errs = append(*errs, FieldError{Field: fv.InputID, Message: msg})
			}
			iv.Fields = append(iv.Fields, fv)
		}
		return iv
	}
	for ri, row := range rows {
		qv.Items = append(qv.Items, item(strconv.Itoa(ri), strconv.Itoa(ri+1), row, ri))
	}
	qv.Blank = item("__I__", "__N__", map[string]string{}, -1)
	qv.AddAutofocus = in.focus == qv.AddID
	if msg != "" && !itemErr {
		qv.Error = msg
		target := qv.AddID
		switch {
		case st.Empty && qv.EmptyText != "":
			target = qv.EmptyID
		case len(qv.Items) > 0 && len(qv.Items[0].Fields) > 0:
			target = qv.Items[0].Fields[0].InputID
		case qv.EmptyText != "":
			target = qv.EmptyID
		}
		*errs = append(*errs, FieldError{Field: target, Message: msg})
	}
}

func (p *Pages) scanStepGuard(c *fiber.Ctx, k *models.Candidate) (bool, error) {
	if !scanEditable(k) {
		flash(c, "U kunt uw antwoorden nu niet wijzigen.")
		return false, redirect(c, "/scan")
	}
	if k.ConsentAt == nil {
		return false, redirect(c, "/scan")
	}
	return true, nil
}

func (p *Pages) scanStep(c *fiber.Ctx) error {
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	n, sec, err := scanStepOf(c, in.Def)
	if err != nil {
		return err
	}
	if ok, err := p.scanStepGuard(c, in.Candidate); !ok {
		return err
	}
	states := map[string]scanState{}
	for _, q := range scanSectionQuestions(in.Def, sec) {
		states[q.ID] = scanStateFromAnswer(q, in.Answers[q.ID])
	}
	return p.scanRenderStep(c, 0, in, n, sec, scanStepInput{states: states, visible: in.Def.Visible(in.Answers), autoBlank: true})
}

func (p *Pages) scanRenderStep(c *fiber.Ctx, status int, in *models.CompileInput, n int, sec *questionnaires.Section, si scanStepInput) error {
	d, errs := scanBuildStep(in.Def, n, sec, si)
	v := p.scanView(c, "Stap "+strconv.Itoa(n)+" van "+strconv.Itoa(d.Total)+": "+sec.Title.NL)
	v.Errors = errs
	v.Data = d
	return p.render(c, status, "scan_step", v)
}

func (p *Pages) scanSaveStep(c *fiber.Ctx) error {
	ctx := c.UserContext()
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	k, def := in.Candidate, in.Def
	n, sec, err := scanStepOf(c, def)
	if err != nil {
		return err
	}
	if ok, err := p.scanStepGuard(c, k); !ok {
		return err
	}
	vals := scanFormValues(c)
	action := vals.Get("actie")
	qs := scanSectionQuestions(def, sec)
	states := make(map[string]scanState, len(qs))
	for _, q := range qs {
		states[q.ID] = scanStateFromForm(q, vals)
	}

	// List buttons (they work without JavaScript): add or remove a row.
	focus, listAction := "", false
	if qid, ok := strings.CutPrefix(action, "toevoegen:"); ok {
		if q, ok := def.Question(qid); ok && q.Type == questionnaires.TypeList && states[qid].Set {
			st := states[qid]
			st.Rows = append(st.Rows, map[string]string{})
			st.Empty = false
			states[qid] = st
			listAction = true
			if len(q.Fields) > 0 {
				focus = qid + "-" + strconv.Itoa(len(st.Rows)-1) + "-" + q.Fields[0].ID
			}
		}
	} else if rest, ok := strings.CutPrefix(action, "verwijderen:"); ok {
		qid, idx, _ := strings.Cut(rest, ":")
		i, err := strconv.Atoi(idx)
		if q, ok := def.Question(qid); ok && q.Type == questionnaires.TypeList && err == nil {
			st := states[qid]
			if i >= 0 && i < len(st.Rows) {
				st.Rows = append(st.Rows[:i:i], st.Rows[i+1:]...)
				states[qid] = st
				listAction = true
				focus = qid + "-toevoegen"
				if i > 0 && len(q.Fields) > 0 {
					focus = qid + "-" + strconv.Itoa(i-1) + "-" + q.Fields[0].ID
				}
			}
		}
	}

	raw := map[string]json.RawMessage{}
	local := map[string]string{}
	sentRows := map[string][]int{}
	merged := make(questionnaires.Answers, len(in.Answers))
	for id, v := range in.Answers {
		merged[id] = v
	}
	for _, q := range qs {
		v, send, rows, msg := states[q.ID].value(q)
		sentRows[q.ID] = rows
		if msg != "" {
			local[q.ID] = msg
			continue
		}
		if !send {
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		raw[q.ID] = b
		merged[q.ID] = v
	}
	// Hidden questions keep their saved answer: what their inputs hold is
	// not part of this save.
	vis := def.Visible(merged)
	for _, q := range qs {
		if !vis[q.ID] {
			delete(raw, q.ID)
			delete(local, q.ID)
		}
	}
	si := scanStepInput{states: states, visible: vis, sentRows: sentRows, focus: focus}

	if listAction {
		// Save what is valid; the rest stays in the page until the next save.
		_, bad := def.ValidateAnswers(raw)
		for id := range bad {
			delete(raw, id)
		}
		if len(raw) > 0 {
			if _, err := p.store.SaveAnswers(ctx, k, raw); err != nil {
				return err
			}
		}
		return p.scanRenderStep(c, 0, in, n, sec, si)
	}

	var fieldErrs map[string]string
	if len(local) > 0 {
		// The form has its own problem: save nothing, but name every problem.
		_, fieldErrs = def.ValidateAnswers(raw)
		if fieldErrs == nil {
			fieldErrs = map[string]string{}
		}
		for id, m := range local {
			fieldErrs[id] = m
		}
	} else if len(raw) > 0 {
		_, err := p.store.SaveAnswers(ctx, k, raw)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			fieldErrs = ve.Fields
		} else if err != nil {
			return err
		}
	}
	if len(fieldErrs) > 0 {
		si.errs = fieldErrs
		return p.scanRenderStep(c, fiber.StatusUnprocessableEntity, in, n, sec, si)
	}

	// A question that appeared because of this save (without JavaScript the
	// page could not show it yet): stay on this step.
	shown := map[string]bool{}
	for _, id := range strings.Fields(vals.Get("_zichtbaar")) {
		shown[id] = true
	}
	if action != "later" {
		for _, q := range qs {
			if vis[q.ID] && !shown[q.ID] && merged[q.ID] == nil {
				flash(c, "Uw antwoorden zijn opgeslagen. Door uw antwoord is er een vraag bijgekomen. Kijk die vraag ook na.")
				return redirect(c, "/scan/stap/"+strconv.Itoa(n)+"#q-"+q.ID)
			}
		}
	}
	switch action {
	case "vorige":
		if n > 1 {
			return redirect(c, "/scan/stap/"+strconv.Itoa(n-1))
		}
		return redirect(c, "/scan")
	case "later":
		return redirect(c, "/scan/later")
	}
	if n < len(def.Sections) {
		return redirect(c, "/scan/stap/"+strconv.Itoa(n+1))
	}
	return redirect(c, "/scan/controleren")
}

func (p *Pages) scanLater(c *fiber.Ctx) error {
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	k := in.Candidate
	deadline := in.Round.Deadline
	if k.InviteExpiresAt != nil && k.InviteExpiresAt.Before(deadline) {
		deadline = *k.InviteExpiresAt
	}
	answered, total := in.Def.Progress(in.Answers)
	v := p.scanView(c, "Uw antwoorden zijn opgeslagen")
	v.Data = map[string]any{"Deadline": deadline, "Answered": answered, "Total": total}
	return p.render(c, 0, "scan_later", v)
}

// ---- review and submit ----

type scanReviewItem struct {
	Title   string
	Details []string
}

type scanReviewQ struct {
	ID, Text, Answer, Step, LinkID string
	Lines                          []string
	Items                          []scanReviewItem
	Missing, Optional, Long        bool
}

type scanReviewSection struct {
	N         int
	Title     string
	Questions []scanReviewQ
	Missing   int
}

type scanReviewData struct {
	Sections []scanReviewSection
	Editable bool
	Missing  int
	Status   string
}

func scanDateNL(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return strconv.Itoa(t.Day()) + " " + nlMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

func scanOptionLabel(opts []questionnaires.Option, id string) string {
	for _, o := range opts {
		if o.ID == id {
			return o.Text.NL
		}
	}
	return id
}

func scanFieldAnswer(f *questionnaires.Field, v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "Ja"
		}
		return "Nee"
	case float64:
		return scanNumber(x)
	case string:
		switch f.Type {
		case questionnaires.TypeChoice:
			return scanOptionLabel(f.Options, x)
		case questionnaires.TypeDate:
			return scanDateNL(x)
		}
		return x
	}
	return ""
}

// scanReviewAnswer renders one saved answer for people.
func scanReviewAnswer(q *questionnaires.Question, v any, rq *scanReviewQ) {
	switch x := v.(type) {
	case bool:
		rq.Answer = map[bool]string{true: "Ja", false: "Nee"}[x]
	case float64:
		rq.Answer = scanNumber(x)
		if q.Type == questionnaires.TypeScale {
			rq.Answer += " van 5"
			if q.ScaleLabels != nil {
				rq.Answer += " (1 = " + scanLowerFirst(q.ScaleLabels.Min.NL) + ", 5 = " + scanLowerFirst(q.ScaleLabels.Max.NL) + ")"
			}
		}
	case string:
		switch q.Type {
		case questionnaires.TypeChoice:
			rq.Answer = scanOptionLabel(q.Options, x)
		case questionnaires.TypeDate:
			rq.Answer = scanDateNL(x)
		default:
			rq.Answer, rq.Long = x, q.Type == questionnaires.TypeLongText
		}
	case []any:
		if q.Type == questionnaires.TypeMultiChoice {
			for _, o := range x {
				if s, ok := o.(string); ok {
					rq.Lines = append(rq.Lines, scanOptionLabel(q.Options, s))
				}
			}
			return
		}
		if len(x) == 0 {
			rq.Answer = q.EmptyText.NL
			if rq.Answer == "" {
				rq.Answer = "Geen"
			}
			return
		}
		title := q.TitleField
		for i, it := range x {
			m, _ := it.(map[string]any)
			ri := scanReviewItem{Title: scanItemName(q) + " " + strconv.Itoa(i+1)}
			for fi := range q.Fields {
				f := &q.Fields[fi]
				s := scanFieldAnswer(f, m[f.ID])
				if s == "" {
					continue
				}
				if f.ID == title {
					ri.Title += ": " + s
					continue
				}
				label := f.Text.NL
				if !strings.HasSuffix(label, "?") {
					label += ":"
				}
				ri.Details = append(ri.Details, label+" "+s)
			}
			rq.Items = append(rq.Items, ri)
		}
	}
}

func scanBuildReview(in *models.CompileInput) scanReviewData {
	def, ans := in.Def, in.Answers
	vis := def.Visible(ans)
	missing := map[string]bool{}
	for _, id := range def.Missing(ans) {
		missing[id] = true
	}
	d := scanReviewData{Editable: scanEditable(in.Candidate), Missing: len(missing), Status: string(in.Candidate.Status)}
	for i := range def.Sections {
		s := &def.Sections[i]
		rs := scanReviewSection{N: i + 1, Title: s.Title.NL}
		step := "/scan/stap/" + strconv.Itoa(i+1)
		for _, q := range scanSectionQuestions(def, s) {
			if !vis[q.ID] {
				continue
			}
			rq := scanReviewQ{ID: q.ID, Text: q.Text.NL, Step: step + "#q-" + q.ID, LinkID: "wijzig-" + q.ID, Optional: q.Optional, Missing: missing[q.ID]}
			if rq.Missing {
				rs.Missing++
			} else {
				scanReviewAnswer(q, ans[q.ID], &rq)
			}
			rs.Questions = append(rs.Questions, rq)
		}
		d.Sections = append(d.Sections, rs)
	}
	return d
}

func (p *Pages) scanReview(c *fiber.Ctx) error {
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	if in.Candidate.ConsentAt == nil {
		return redirect(c, "/scan")
	}
	return p.scanRenderReview(c, 0, in, nil)
}

func (p *Pages) scanRenderReview(c *fiber.Ctx, status int, in *models.CompileInput, errs []FieldError) error {
	d := scanBuildReview(in)
	title := "Controleer uw antwoorden"
	if !d.Editable {
		title = "Uw antwoorden"
	}
	v := p.scanView(c, title)
	v.Errors = errs
	v.Data = d
	return p.render(c, status, "scan_review", v)
}

func (p *Pages) scanSubmit(c *fiber.Ctx) error {
	ctx := c.UserContext()
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	_, err = p.store.Submit(ctx, in.Candidate)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return p.scanRenderReview(c, fiber.StatusUnprocessableEntity, in, scanMissingErrors(in.Def, ve.Fields))
	}
	if err != nil {
		return err
	}
	return redirect(c, "/scan/ontvangen")
}

// scanMissingErrors is the error summary of a refused submit: one line per
// unanswered question, or one per step when many are missing.
func scanMissingErrors(def *questionnaires.Definition, missing map[string]string) []FieldError {
	type step struct {
		n  int
		qs []*questionnaires.Question
	}
	var steps []step
	total := 0
	for i := range def.Sections {
		st := step{n: i + 1}
		for _, q := range scanSectionQuestions(def, &def.Sections[i]) {
			if _, ok := missing[q.ID]; ok {
				st.qs = append(st.qs, q)
			}
		}
		if len(st.qs) > 0 {
			steps = append(steps, st)
			total += len(st.qs)
		}
	}
	var errs []FieldError
	for _, st := range steps {
		n := strconv.Itoa(st.n)
		if total > 8 && len(st.qs) > 1 {
			errs = append(errs, FieldError{Field: "wijzig-" + st.qs[0].ID,
				Message: "Stap " + n + " (" + def.Sections[st.n-1].Title.NL + "): beantwoord nog " + strconv.Itoa(len(st.qs)) + " vragen"})
			continue
		}
		for _, q := range st.qs {
			errs = append(errs, FieldError{Field: "wijzig-" + q.ID, Message: "Stap " + n + ": beantwoord de vraag „" + q.Text.NL + "”"})
		}
	}
	return errs
}

func (p *Pages) scanReceived(c *fiber.Ctx) error {
	k, err := p.store.Candidate(c.UserContext(), api.CandidateOf(c).ID)
	if err != nil {
		return err
	}
	switch k.Status {
	case models.StatusSubmitted, models.StatusProfiled, models.StatusDecided:
	default:
		return redirect(c, "/scan")
	}
	v := p.scanView(c, "Uw scan is ingediend")
	v.Data = map[string]any{"SubmittedAt": k.SubmittedAt, "Email": k.Email}
	return p.render(c, 0, "scan_received", v)
}

// ---- export ----

// scanExport explains the download; the file itself is the JSON API's
// GET /api/v1/me/export (it works with the session cookie and logs the
// export in the access log).
func (p *Pages) scanExport(c *fiber.Ctx) error {
	v := p.scanView(c, "Uw gegevens downloaden")
	return p.render(c, 0, "scan_export", v)
}

// ---- hearing (hoor en wederhoor) ----

const scanMaxReply = 10000

func (p *Pages) scanHearing(c *fiber.Ctx) error { return p.scanRenderHearing(c, 0, "", nil) }

func (p *Pages) scanRenderHearing(c *fiber.Ctx, status int, entered string, errs []FieldError) error {
	k, err := p.store.Candidate(c.UserContext(), api.CandidateOf(c).ID)
	if err != nil {
		return err
	}
	hs, err := p.store.Hearings(c.UserContext(), k)
	if err != nil {
		return err
	}
	d := map[string]any{"Reply": entered, "Max": scanMaxReply}
	if len(hs) > 0 {
		last := hs[len(hs)-1]
		d["Hearing"] = last
		d["Open"] = last.RepliedAt == nil && p.store.Now().Before(last.ReplyDue)
		earlier := make([]models.HearingView, 0, len(hs)-1)
		for i := len(hs) - 2; i >= 0; i-- {
			earlier = append(earlier, hs[i])
		}
		d["Earlier"] = earlier
	}
	v := p.scanView(c, "Vragen van de selectiecommissie")
	v.Errors = errs
	v.Data = d
	return p.render(c, status, "scan_hearing", v)
}

func (p *Pages) scanHearingReply(c *fiber.Ctx) error {
	reply := strings.TrimSpace(c.FormValue("reactie"))
	switch {
	case reply == "":
		return p.scanRenderHearing(c, fiber.StatusUnprocessableEntity, reply, []FieldError{{"reactie", "Schrijf uw reactie in het tekstvak."}})
	case utf8.RuneCountInString(reply) > scanMaxReply:
		return p.scanRenderHearing(c, fiber.StatusUnprocessableEntity, reply, []FieldError{{"reactie",
			"Uw reactie is te lang. Gebruik ten hoogste " + strconv.Itoa(scanMaxReply) + " tekens."}})
	}
	k, err := p.store.Candidate(c.UserContext(), api.CandidateOf(c).ID)
	if err != nil {
		return err
	}
	if _, err := p.store.ReplyHearing(c.UserContext(), k, reply); err != nil {
		return err
	}
	flash(c, "Uw reactie is verstuurd naar de selectiecommissie.")
	return redirect(c, "/scan/reactie")
}

// ---- withdraw ----

func (p *Pages) scanWithdrawForm(c *fiber.Ctx) error {
	k, err := p.store.Candidate(c.UserContext(), api.CandidateOf(c).ID)
	if err != nil {
		return err
	}
	v := p.scanView(c, "Wilt u zich terugtrekken?")
	v.Data = map[string]any{"Allowed": models.Allowed(k.Status, models.ActWithdraw), "Status": string(k.Status)}
	return p.render(c, 0, "scan_withdraw", v)
}

func (p *Pages) scanWithdraw(c *fiber.Ctx) error {
	k, err := p.store.Candidate(c.UserContext(), api.CandidateOf(c).ID)
	if err != nil {
		return err
	}
	if err := p.store.Withdraw(c.UserContext(), k); err != nil {
		return err
	}
	flash(c, "U hebt zich teruggetrokken. De selectiecommissie stopt met uw scan.")
	return redirect(c, "/scan")
}
