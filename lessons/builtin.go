package lessons

import (
	"embed"
	"sync"
)

// course holds the built-in lessons: every folder named like "01-welcome".
//
//go:embed [0-9][0-9]-*
var course embed.FS

var builtin = sync.OnceValues(func() (*Pack, error) { return Load(course) })

// Builtin returns the built-in course. It is parsed once and shared:
// callers must not modify it.
func Builtin() (*Pack, error) { return builtin() }
