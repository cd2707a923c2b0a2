package api

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPayloadIDs: the queue monitor shows ids from a task payload and
// nothing else.
func TestPayloadIDs(t *testing.T) {
	tests := []struct {
		name, payload, want string
	}{
		{"empty", ``, ``},
		{"compile", `{"candidate_id":"3f1c2a9e-7d1b-4c55-9a4e-0c1d2e3f4a5b","revision":2}`,
			`candidate_id=3f1c2a9e-7d1b-4c55-9a4e-0c1d2e3f4a5b (+1 velden niet getoond)`},
		{"mail", `{"kind":"hearing","hearing_id":"h-1","user_id":"u-2"}`, `hearing_id=h-1 user_id=u-2 (+1 velden niet getoond)`},
		{"only ids", `{"id":"a","candidate_id":"b"}`, `candidate_id=b id=a`},
		{"text in an id field", `{"candidate_id":"Jan Jansen <jan@example.nl>"}`, `(+1 velden niet getoond)`},
		{"number in an id field", `{"user_id":12}`, `(+1 velden niet getoond)`},
		{"nested", `{"candidate":{"id":"x","name":"Jan"}}`, `(+1 velden niet getoond)`},
		{"no ids", `{"name":"Jan","answers":{"K1":true}}`, `(+2 velden niet getoond)`},
		{"not JSON", `Jan Jansen`, `(10 bytes, niet getoond)`},
		{"JSON array", `["Jan"]`, `(7 bytes, niet getoond)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, payloadIDs("test", []byte(tc.payload))); diff != "" {
				t.Errorf("payloadIDs(%s) (-want +got):\n%s", tc.payload, diff)
			}
		})
	}
	if got := hiddenResult("test", []byte(`{"name":"Jan"}`)); got != "(14 bytes, niet getoond)" {
		t.Errorf("hiddenResult: %q", got)
	}
}

// TestArchivedTaskWrite: the only changes the admin may make through the
// monitor are running and deleting archived tasks.
func TestArchivedTaskWrite(t *testing.T) {
	tests := []struct {
		path string
		ok   bool
	}{
		{"/api/queues/default/archived_tasks/profile:compile:3f1c:2:run", true},
		{"/api/queues/default/archived_tasks/profile:compile:3f1c:2", true},
		{"/api/queues/default/archived_tasks:run_all", true},
		{"/api/queues/default/archived_tasks:delete_all", true},
		{"/api/queues/default/archived_tasks:batch_run", true},
		{"/api/queues/default/archived_tasks:batch_delete", true},
		{"/api/queues/default:pause", false},
		{"/api/queues/default", false},
		{"/api/queues/default/pending_tasks:delete_all", false},
		{"/api/queues/default/retry_tasks/x:archive", false},
		{"/api/queues/default/scheduled_tasks:archive_all", false},
		{"/api/queues/default/active_tasks:cancel_all", false},
		{"/api/queues/default/archived_tasks/a/b", false},
		{"/api/queues/default/archived_tasks", false},
	}
	for _, tc := range tests {
		if got := archivedTaskWrite.MatchString(tc.path); got != tc.ok {
			t.Errorf("%s: allowed=%v, want %v", tc.path, got, tc.ok)
		}
	}
}
