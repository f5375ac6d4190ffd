package lessons

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"time"
)

// dirPattern matches a lesson folder name: a two-digit number, a dash, a slug.
var dirPattern = regexp.MustCompile(`^([0-9]{2})-[a-z0-9]+(-[a-z0-9]+)*$`)

// maxLessonSize bounds lesson.md so a stray huge file cannot exhaust memory.
const maxLessonSize = 1 << 20

// Load reads a lesson pack from fsys: every top-level folder named like
// "NN-slug" is a lesson; other entries are ignored. It returns a
// *PackError listing every problem when the pack is invalid.
func Load(fsys fs.FS) (*Pack, error) {
	p, probs := load(fsys)
	if len(probs) > 0 {
		return nil, &PackError{Problems: probs}
	}
	return p, nil
}

// LoadDir loads a lesson pack from a folder on disk (the --lessons flag).
func LoadDir(dir string) (*Pack, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("load lessons: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("load lessons: %s is not a folder", dir)
	}
	return Load(os.DirFS(dir))
}

// load parses the pack and returns it with every structural problem.
func load(fsys fs.FS) (*Pack, Problems) {
	var probs Problems
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return &Pack{}, Problems{{Msg: fmt.Sprintf("read lesson pack: %v", err)}}
	}
	// Lessons parse independently, so they parse in parallel; results are
	// collected in folder order and checked against each other afterwards.
	type parsed struct {
		lesson *Lesson
		probs  Problems
	}
	var dirs []string
	for _, e := range entries {
		if !e.IsDir() || !dirPattern.MatchString(e.Name()) {
			continue
		}
		dirs = append(dirs, e.Name())
	}
	results := make([]parsed, len(dirs))
	var wg sync.WaitGroup
	for i, dir := range dirs {
		wg.Go(func() {
			l, ps := loadLesson(fsys, dir)
			results[i] = parsed{l, ps}
		})
	}
	wg.Wait()

	p := &Pack{}
	numbers := map[int]string{}
	ids := map[string]string{}
	for i, r := range results {
		probs = append(probs, r.probs...)
		l := r.lesson
		if l == nil {
			continue
		}
		dir := dirs[i]
		if prev, dup := numbers[l.Number]; dup {
			probs = append(probs, Problem{File: dir, Msg: fmt.Sprintf("lesson number %d is also used by %s", l.Number, prev)})
		}
		numbers[l.Number] = dir
		if l.ID != "" {
			if prev, dup := ids[l.ID]; dup {
				probs = append(probs, Problem{File: l.File(), Line: 2, Msg: fmt.Sprintf("front matter: id %q is also used by %s", l.ID, prev)})
			}
			ids[l.ID] = dir
		}
		p.Lessons = append(p.Lessons, l)
	}
	if len(p.Lessons) == 0 && len(probs) == 0 {
		probs = append(probs, Problem{Msg: `no lessons found: a pack holds folders named like "01-welcome" with a lesson.md`})
	}
	sort.SliceStable(p.Lessons, func(i, j int) bool { return p.Lessons[i].Number < p.Lessons[j].Number })
	probs.Sort()
	return p, probs
}

// loadLesson reads and parses the lesson in folder dir. The lesson is nil
// when there is nothing to parse.
func loadLesson(fsys fs.FS, dir string) (*Lesson, Problems) {
	n, _ := strconv.Atoi(dir[:2])
	if n == 0 {
		return nil, Problems{{File: dir, Msg: "lesson numbers start at 01"}}
	}
	file := dir + "/lesson.md"
	data, err := readLimited(fsys, file)
	if err != nil {
		return nil, Problems{{File: file, Msg: err.Error()}}
	}
	l, ps := Parse(file, data)
	l.Number, l.Dir = n, dir
	l.Files = subFS(fsys, dir+"/files")
	l.Solutions = subFS(fsys, dir+"/solutions")
	return l, ps
}

func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("missing: every lesson folder needs a lesson.md")
		}
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxLessonSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxLessonSize {
		return nil, fmt.Errorf("larger than %d bytes", maxLessonSize)
	}
	return data, nil
}

// subFS returns the dir subtree of fsys, or an empty file system when dir
// does not exist.
func subFS(fsys fs.FS, dir string) fs.FS {
	if st, err := fs.Stat(fsys, dir); err == nil && st.IsDir() {
		if sub, err := fs.Sub(fsys, dir); err == nil {
			return sub
		}
	}
	return emptyFS{}
}

// emptyFS is a file system with an empty root folder.
type emptyFS struct{}

// Open opens the root folder; every other name does not exist.
func (emptyFS) Open(name string) (fs.File, error) {
	if name == "." {
		return emptyDir{}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// emptyDir is emptyFS's root: an open folder with no entries, which is
// also its own FileInfo.
type emptyDir struct{}

func (emptyDir) Stat() (fs.FileInfo, error) { return emptyDir{}, nil }
func (emptyDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: ".", Err: errors.New("is a directory")}
}
func (emptyDir) Close() error { return nil }
func (emptyDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if n > 0 {
		return nil, io.EOF
	}
	return nil, nil
}
func (emptyDir) Name() string       { return "." }
func (emptyDir) Size() int64        { return 0 }
func (emptyDir) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (emptyDir) ModTime() time.Time { return time.Time{} }
func (emptyDir) IsDir() bool        { return true }
func (emptyDir) Sys() any           { return nil }
