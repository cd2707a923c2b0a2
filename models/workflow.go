package models

import (
	"fmt"
	"slices"
)

// Status is a candidate's workflow state.
type Status string

// Candidate states (docs/architecture.md §5).
const (
	StatusInvited    Status = "invited"
	StatusInProgress Status = "in_progress"
	StatusSubmitted  Status = "submitted"
	StatusProfiled   Status = "profiled"
	StatusDecided    Status = "decided"
	StatusWithdrawn  Status = "withdrawn"
	StatusExpired    Status = "expired"
	StatusRevoked    Status = "revoked"
)

// Action is a business event that may change a candidate's state.
type Action string

// Workflow actions.
const (
	ActAccept   Action = "accept"
	ActSubmit   Action = "submit"
	ActProfile  Action = "profile"
	ActCompile  Action = "recompile"
	ActDecide   Action = "decide"
	ActReopen   Action = "reopen"
	ActWithdraw Action = "withdraw"
	ActRevoke   Action = "revoke"
	ActResend   Action = "resend"
	ActExpire   Action = "expire"
	ActAnswer   Action = "answer"
)

type transition struct {
	from []Status
	to   Status // empty: the state stays as it is
}

// transitions is the only definition of the workflow: every status change in
// the Store goes through next().
var transitions = map[Action]transition{
	ActAccept:   {from: []Status{StatusInvited, StatusInProgress}, to: StatusInProgress},
	ActAnswer:   {from: []Status{StatusInProgress}},
	ActSubmit:   {from: []Status{StatusInProgress}, to: StatusSubmitted},
	ActProfile:  {from: []Status{StatusSubmitted}, to: StatusProfiled},
	ActCompile:  {from: []Status{StatusProfiled, StatusDecided}},
	ActDecide:   {from: []Status{StatusProfiled}, to: StatusDecided},
	ActReopen:   {from: []Status{StatusSubmitted, StatusProfiled}, to: StatusInProgress},
	ActWithdraw: {from: []Status{StatusInvited, StatusInProgress, StatusSubmitted, StatusProfiled}, to: StatusWithdrawn},
	ActRevoke:   {from: []Status{StatusInvited, StatusInProgress}, to: StatusRevoked},
	ActResend:   {from: []Status{StatusInvited, StatusExpired}, to: StatusInvited},
	ActExpire:   {from: []Status{StatusInvited, StatusInProgress}, to: StatusExpired},
}

// TransitionError reports an action that the current state does not allow.
type TransitionError struct {
	From   Status
	Action Action
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("action %q not allowed in status %q", e.Action, e.From)
}

// next returns the state after action, or a *TransitionError.
func next(from Status, a Action) (Status, error) {
	t, ok := transitions[a]
	if !ok || !slices.Contains(t.from, from) {
		return from, &TransitionError{From: from, Action: a}
	}
	if t.to == "" {
		return from, nil
	}
	return t.to, nil
}

// Allowed reports whether action is legal in status (for UIs that hide buttons).
func Allowed(from Status, a Action) bool {
	_, err := next(from, a)
	return err == nil
}
