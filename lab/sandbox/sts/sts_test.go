package sts

import (
	"net/url"
	"testing"
	"time"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

func TestRoleARNAccount(t *testing.T) {
	tests := map[string]string{
		"arn:aws:iam::111122223333:role/app":         "111122223333",
		"arn:aws:iam::111122223333:role/path/to/app": "111122223333",
		"arn:aws:iam::111122223333:user/app":         "",
		"arn:aws:iam::1111:role/app":                 "",
		"arn:aws:iam::111122223333:role/":            "",
		"arn:aws:sts::111122223333:assumed-role/a/b": "",
		"": "",
		"arn:aws:iam::111122223333:role/path/to/app/": "",
	}
	for arn, want := range tests {
		if got := roleARNAccount(arn); got != want {
			t.Errorf("roleARNAccount(%q) = %q, want %q", arn, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"", time.Hour, ""},
		{"900", 15 * time.Minute, ""},
		{"43200", 12 * time.Hour, ""},
		{"899", 0, "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"43201", 0, "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"x", 0, "1 validation error detected: Value 'x' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
	}
	for _, tt := range tests {
		r := &svc.Request{Params: url.Values{}}
		if tt.in != "" {
			r.Params.Set("DurationSeconds", tt.in)
		}
		got, err := duration(r, minDuration, maxRoleDuration, defaultDuration)
		msg := ""
		if err != nil {
			msg = err.(*svc.Error).Message
		}
		if got != tt.want || msg != tt.err {
			t.Errorf("duration(%q) = %v, %q; want %v, %q", tt.in, got, msg, tt.want, tt.err)
		}
	}
}
