package app

import "testing"

func TestPprofLoopbackOnly(t *testing.T) {
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:6061", true},
		{"[::1]:6061", true},
		{"0.0.0.0:6061", false},
		{":6061", false},
		{"192.168.1.5:6061", false},
		{"localhost:6061", false}, // a name could resolve anywhere
		{"127.0.0.1", false},
		{"", false},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			if got := loopbackOnly(tc.addr); got != tc.ok {
				t.Fatalf("loopbackOnly(%q) = %v, want %v", tc.addr, got, tc.ok)
			}
		})
	}
}
