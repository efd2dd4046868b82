package project

import (
	"errors"
	"net/url"
	"testing"

	"github.com/logister/logister/server/internal/apperr"
)

func asAppErr(err error, target **apperr.Error) bool { return errors.As(err, target) }

func mustURL(t *testing.T) *url.URL {
	t.Helper()
	u, err := url.Parse("http://logister.test")
	if err != nil {
		t.Fatal(err)
	}
	return u
}
