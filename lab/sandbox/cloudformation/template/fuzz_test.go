package template

import (
	"os"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the template reader: it may reject them,
// but it must never panic, and an accepted template must order and bind
// without panicking.
func FuzzLoad(f *testing.F) {
	if b, err := os.ReadFile("../testdata/notes.yaml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"Resources":{"A":{"Type":"AWS::KMS::Key","Properties":{"Description":{"Fn::Sub":"${AWS::Region}"}}}}}`))
	f.Add([]byte("Resources:\n  A: &x\n    Type: AWS::KMS::Key\n  B: *x\n"))
	f.Add([]byte("Resources:\n  A:\n    Type: !Ref [x\n"))
	f.Add([]byte("Parameters:\n  P: {Type: Number, Default: 1}\nResources:\n  A: {Type: X, Properties: {V: !Select [!Ref P, [a, b]]}}\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		tp, err := Load(body)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error is %T, want *Error", err)
			}
			return
		}
		vals, err := tp.BindParameters(nil)
		if err != nil {
			return
		}
		ctx, err := NewContext(tp, vals, Pseudo{Region: "us-east-1"})
		if err != nil {
			return
		}
		order, err := tp.Order(ctx.Conditions)
		if err != nil {
			return
		}
		for _, id := range order {
			_, _ = ctx.Resolve(tp.Resources[id].Properties)
		}
	})
}
