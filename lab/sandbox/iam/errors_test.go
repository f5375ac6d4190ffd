package iam

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEncodeDocument(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"Version":"2012-10-17"}`, "%7B%22Version%22%3A%222012-10-17%22%7D"},
		{"a b\n", "a%20b%0A"},
		{"~-_.AZaz09", "~-_.AZaz09"},
		{"é", "%C3%A9"},
	}
	for _, tt := range tests {
		got := encodeDocument(tt.in)
		if got != tt.want {
			t.Errorf("encodeDocument(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back, err := url.PathUnescape(got); err != nil || back != tt.in {
			t.Errorf("round trip %q: %q, %v", tt.in, back, err)
		}
	}
}

func TestPaginate(t *testing.T) {
	items := []int{1, 2, 3, 4, 5}
	type page struct {
		Items  []int
		Trunc  bool
		Marker string
	}
	tests := []struct {
		start, max int
		want       page
	}{
		{0, 100, page{[]int{1, 2, 3, 4, 5}, false, ""}},
		{0, 2, page{[]int{1, 2}, true, "2"}},
		{2, 2, page{[]int{3, 4}, true, "4"}},
		{4, 2, page{[]int{5}, false, ""}},
		{9, 2, page{[]int{}, false, ""}},
	}
	for _, tt := range tests {
		p, trunc, marker := paginate(items, tt.start, tt.max)
		if diff := cmp.Diff(tt.want, page{p, trunc, marker}); diff != "" {
			t.Errorf("paginate(%d, %d) (-want +got):\n%s", tt.start, tt.max, diff)
		}
	}
}

func TestIAMMessages(t *testing.T) {
	tests := []struct{ doc, want string }{
		{`{"Version":`, "Syntax errors in policy."},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`, "Policy document should not specify a principal."},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}`, "Policy statement must contain actions."},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}`, "Policy statement must contain resources."},
		{`{"Version":"2012-10-17","Statement":[{"Sid":"a b","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
			"Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:a:b","Resource":"*"}]}`, "Actions/Condition can contain only one colon."},
	}
	for _, tt := range tests {
		err := validateIdentity(tt.doc)
		if err == nil {
			t.Errorf("%s: accepted", tt.doc)
			continue
		}
		if got := err.Error(); got != "MalformedPolicyDocument: "+tt.want {
			t.Errorf("%s:\n got %s\nwant MalformedPolicyDocument: %s", tt.doc, got, tt.want)
		}
	}
	if err := validateTrust(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Resource":"*"}]}`); err == nil ||
		err.Error() != "MalformedPolicyDocument: Has prohibited field Resource" {
		t.Errorf("trust policy with Resource: %v", err)
	}
}
