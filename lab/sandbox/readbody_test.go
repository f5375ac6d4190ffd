package sandbox

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

func TestReadBody(t *testing.T) {
	long := strings.Repeat("x", 3000)
	cases := []struct {
		name   string
		body   string
		length int64
	}{
		{"exact length", `{"KeyId":"k"}`, 13},
		{"no length", long, -1},
		{"zero length", "", 0},
		{"length too small", long, 10},
		{"length too large", "abc", 100},
		{"length beyond the limit", long, 1 << 40},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, slow := range []bool{false, true} {
				var rd = strings.NewReader(tc.body)
				got, err := func() ([]byte, error) {
					if slow {
						return readBody(iotest.OneByteReader(rd), tc.length, 1<<20)
					}
					return readBody(rd, tc.length, 1<<20)
				}()
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.body, string(got)); diff != "" {
					t.Errorf("slow=%v (-want +got):\n%s", slow, diff)
				}
			}
		})
	}
	boom := errors.New("boom")
	if _, err := readBody(iotest.ErrReader(boom), 5, 1<<20); !errors.Is(err, boom) {
		t.Errorf("read error = %v", err)
	}
}
