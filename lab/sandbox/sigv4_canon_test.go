package sandbox

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// reference is SigV4's header value rule written the obvious way.
func reference(v string) string { return strings.Join(strings.Fields(v), " ") }

func TestAppendTrimmed(t *testing.T) {
	for _, v := range []string{"", "a", "application/x-amz-json-1.1", " a", "a ", "a  b", "a\tb", " a   b  c ",
		"a\u00a0b", "\u0085", "20261204T180000Z", "x y z", "  ", "é  é"} {
		if diff := cmp.Diff(reference(v), string(appendTrimmed(nil, v))); diff != "" {
			t.Errorf("appendTrimmed(%q) (-want +got):\n%s", v, diff)
		}
	}
}

func FuzzAppendTrimmed(f *testing.F) {
	for _, s := range []string{"", "a  b", " x ", "\t", "\u00a0a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if got := string(appendTrimmed([]byte("p"), v)); got != "p"+reference(v) {
			t.Errorf("appendTrimmed(%q) = %q, want %q", v, got[1:], reference(v))
		}
	})
}

// TestCanonicalRequest checks the canonical request's layout and that
// building it leaves the request's headers alone.
func TestCanonicalRequest(t *testing.T) {
	r, err := http.NewRequest("POST", "http://127.0.0.1:4566/?b=2&a=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("X-Amz-Date", "20261204T180000Z")
	r.Header.Add("X-Amz-Meta", "  two   words ")
	r.Header.Add("X-Amz-Meta", "second")
	r.ContentLength = 12
	a := &authHeader{SignedHeaders: []string{"content-length", "host", "x-amz-date", "x-amz-meta"}}
	got := string(appendCanonicalRequest(nil, r, a, []byte("abc")))
	want := "POST\n/\na=1&b=2\n" +
		"content-length:12\nhost:127.0.0.1:4566\nx-amz-date:20261204T180000Z\nx-amz-meta:two words,second\n" +
		"\ncontent-length;host;x-amz-date;x-amz-meta\nabc"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("canonical request (-want +got):\n%s", diff)
	}
	if v := r.Header.Values("X-Amz-Meta"); v[0] != "  two   words " {
		t.Errorf("the request's header was changed to %q", v)
	}
}

func TestHMACScratch(t *testing.T) {
	for _, tc := range []struct{ key, data string }{
		{"", ""},
		{"k", "message"},
		{strings.Repeat("k", 32), strings.Repeat("data ", 100)},
		{strings.Repeat("k", 64), "block-sized key"},
		{strings.Repeat("k", 65), "longer key"},
	} {
		want := hmacSHA256([]byte(tc.key), []byte(tc.data))
		for _, scratch := range [][]byte{nil, make([]byte, 0, 16), make([]byte, 0, 4096)} {
			got, _ := hmacScratch([]byte(tc.key), []byte(tc.data), scratch)
			if diff := cmp.Diff(want, got[:]); diff != "" {
				t.Errorf("key %d bytes, data %d bytes, scratch cap %d (-want +got):\n%s", len(tc.key), len(tc.data), cap(scratch), diff)
			}
		}
	}
}
