package template

import (
	"os"
	"testing"
)

// BenchmarkLoadNotes reads the notes template: decode the YAML with its
// short-form tags, expand the SAM transform, validate every reference and
// order the resources.
func BenchmarkLoadNotes(b *testing.B) {
	body, err := os.ReadFile("../testdata/notes.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolveNotes binds parameters, evaluates conditions and resolves
// every resource's properties of the loaded notes template.
func BenchmarkResolveNotes(b *testing.B) {
	body, err := os.ReadFile("../testdata/notes.yaml")
	if err != nil {
		b.Fatal(err)
	}
	tp, err := Load(body)
	if err != nil {
		b.Fatal(err)
	}
	lookup := fakeLookup{"SecretKey": "k", "AppSecret": "s", "ReaderFunctionRole": "r", "SecretKeyAlias": "a", "ReaderFunction": "f"}
	b.ReportAllocs()
	for b.Loop() {
		vals, err := tp.BindParameters(map[string]string{"MySecret": "super_secret_string"})
		if err != nil {
			b.Fatal(err)
		}
		ctx, err := NewContext(tp, vals, Pseudo{AccountID: "111122223333", Region: "us-east-1", StackName: "notes", Partition: "aws"})
		if err != nil {
			b.Fatal(err)
		}
		ctx.Resources = lookup
		for _, id := range tp.ResourceIDs() {
			if _, err := ctx.Resolve(tp.Resources[id].Properties); err != nil {
				b.Fatal(err)
			}
		}
	}
}
