package worker_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hibiken/asynq"

	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/screening"
)

var workerCompile = screening.Evaluate

func errorsIsSkip(err error) bool { return errors.Is(err, asynq.SkipRetry) }

func countProfiles(t *testing.T, e *apptest.Env, id string) int {
	t.Helper()
	n, err := e.Sys.Store.ProfileVersions(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
