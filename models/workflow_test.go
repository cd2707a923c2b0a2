package models

import (
	"errors"
	"testing"
)

// TestTransitions lists every (status, action) pair and what must happen.
func TestTransitions(t *testing.T) {
	all := []Status{StatusInvited, StatusInProgress, StatusSubmitted, StatusProfiled, StatusDecided, StatusWithdrawn, StatusExpired, StatusRevoked}
	want := map[Action]map[Status]Status{
		ActAccept:   {StatusInvited: StatusInProgress, StatusInProgress: StatusInProgress},
		ActAnswer:   {StatusInProgress: StatusInProgress},
		ActSubmit:   {StatusInProgress: StatusSubmitted},
		ActProfile:  {StatusSubmitted: StatusProfiled},
		ActCompile:  {StatusProfiled: StatusProfiled, StatusDecided: StatusDecided},
		ActDecide:   {StatusProfiled: StatusDecided},
		ActReopen:   {StatusSubmitted: StatusInProgress, StatusProfiled: StatusInProgress},
		ActWithdraw: {StatusInvited: StatusWithdrawn, StatusInProgress: StatusWithdrawn, StatusSubmitted: StatusWithdrawn, StatusProfiled: StatusWithdrawn},
		ActRevoke:   {StatusInvited: StatusRevoked, StatusInProgress: StatusRevoked},
		ActResend:   {StatusInvited: StatusInvited, StatusExpired: StatusInvited},
		ActExpire:   {StatusInvited: StatusExpired, StatusInProgress: StatusExpired},
	}
	if len(want) != len(transitions) {
		t.Fatalf("transition table has %d actions, test lists %d", len(transitions), len(want))
	}
	for a, m := range want {
		for _, from := range all {
			t.Run(string(a)+" from "+string(from), func(t *testing.T) {
				got, err := next(from, a)
				to, ok := m[from]
				if !ok {
					var te *TransitionError
					if !errors.As(err, &te) || got != from {
						t.Fatalf("want TransitionError, got %v %v", got, err)
					}
					return
				}
				if err != nil || got != to {
					t.Fatalf("got %v %v, want %v", got, err, to)
				}
			})
		}
	}
}
