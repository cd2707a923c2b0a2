package web

import (
	"strconv"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// The review's change links (NL Design System "controleren en versturen"):
// each goes to the step with ?terug=controleren and to the question's first
// input; saving that step then returns to the review instead of the next
// step.

// scanBackReview is the value of ?terug= (and of the step form's _terug)
// that sends the candidate back to the review after saving.
const scanBackReview = "controleren"

// scanBackQuery keeps ?terug=controleren on a redirect to the same step.
func scanBackQuery(back bool) string {
	if back {
		return "?terug=" + scanBackReview
	}
	return ""
}

// FirstInputID is the id of the control a link to this question should
// focus: the input itself, the first option of a group, or for a list the
// first field of its first item (else the "none" checkbox, else the add
// button), exactly as the step page renders it.
func (q scanQuestion) FirstInputID() string {
	switch {
	case q.Type == questionnaires.TypeList:
		switch {
		case q.Empty && q.EmptyText != "":
			return q.EmptyID
		case len(q.Items) > 0 && len(q.Items[0].Fields) > 0:
			return q.Items[0].Fields[0].InputID
		case q.EmptyText != "":
			return q.EmptyID
		}
		return q.AddID
	case q.Group && len(q.Options) > 0:
		return q.Options[0].InputID
	}
	return q.ID
}

// scanFirstInputs maps each question of the questionnaire to the id of the
// input its change link goes to, built from the step pages as the candidate
// will see them with their saved answers.
func scanFirstInputs(in *models.CompileInput) map[string]string {
	def := in.Def
	vis := def.Visible(in.Answers)
	out := map[string]string{}
	for i := range def.Sections {
		sec := &def.Sections[i]
		states := map[string]scanState{}
		for _, q := range scanSectionQuestions(def, sec) {
			states[q.ID] = scanStateFromAnswer(q, in.Answers[q.ID])
		}
		d, _ := scanBuildStep(def, i+1, sec, scanStepInput{states: states, visible: vis, autoBlank: true})
		for _, q := range d.Questions {
			out[q.ID] = q.FirstInputID()
		}
	}
	return out
}

// scanChangeLink is the href of a change link: the step, back to the
// review after saving, at the question's first input.
func scanChangeLink(step int, inputID string) string {
	return "/scan/stap/" + strconv.Itoa(step) + scanBackQuery(true) + "#" + inputID
}
