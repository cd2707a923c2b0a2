package models

import "testing"

// TestScrubAddresses: SMTP errors kept for the board lose the addresses
// they name (a dump must not pair a candidate's row with an address).
func TestScrubAddresses(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"550 5.1.1 <jan.de.vries@voorbeeld.nl>: Recipient address rejected", "550 5.1.1 <[adres]>: Recipient address rejected"},
		{"mail: invalid address \"a@b\"", "mail: invalid address \"[adres]\""},
		{"dial tcp 10.0.0.1:25: connection refused", "dial tcp 10.0.0.1:25: connection refused"},
		{"RCPT TO:x.y+tag@sub.domein.example failed; also z@q.nl", "RCPT TO:[adres] failed; also [adres]"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := scrubAddresses(tc.in); got != tc.want {
				t.Fatalf("scrubAddresses(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
