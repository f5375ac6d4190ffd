package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/activeterm"
	wishtea "charm.land/wish/v2/bubbletea"
	"github.com/spf13/cobra"

	"github.com/seclab-dev/seclab/lab/classroom"
	"github.com/seclab-dev/seclab/lessons"
	"github.com/seclab-dev/seclab/ui"
	uiclass "github.com/seclab-dev/seclab/ui/classroom"
)

// This file holds `seclab classroom`: an SSH server that gives each
// student their own seclab (own sandbox, own progress), the instructor's
// live roster, and exports.

func init() {
	register(func(g *globals) *cobra.Command {
		c := &cobra.Command{
			Use:   "classroom",
			Short: "Run seclab for a whole class over SSH, watch the roster, export results",
		}
		var classDir string
		c.PersistentFlags().StringVar(&classDir, "class", "", "the class folder (students' state, roster, host key)")
		c.AddCommand(classServeCmd(g, &classDir), classStatusCmd(g, &classDir), classExportCmd(g, &classDir), classAddCmd(&classDir))
		return c
	})
}

func openClass(dir string) (*classroom.Class, error) {
	if dir == "" {
		return nil, errors.New("pass the class folder with --class DIR")
	}
	return classroom.Open(dir)
}

// classServer is a running classroom.
type classServer struct {
	g     *globals
	class *classroom.Class
	pack  *lessons.Pack
	max   int
	limit int64 // bytes of state per student

	mu     sync.Mutex
	active map[string]int // student ID → open sessions (instructors under "")
	total  int
}

func classServeCmd(g *globals, classDir *string) *cobra.Command {
	var addr, joinCode string
	var maxSessions int
	var idle time.Duration
	var limitMB int64
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve seclab over SSH: one isolated lab per student",
		Long: "Each student connects with ssh and gets their own seclab: their own sandbox, progress and\n" +
			"workspace under the class folder, keyed by their SSH public key. Students are admitted by\n" +
			"the roster (students.keys, authorized_keys format, the comment is the name) or enrol once\n" +
			"with the join code: ssh -p 2222 NAME@HOST join CODE. Instructors (instructors.keys) get the\n" +
			"live roster.",
		Example: "  seclab classroom serve --class ./class --join-code maple-42\n" +
			"  ssh -p 2222 ada@classroom.example join maple-42   # once, as a student\n" +
			"  ssh -p 2222 -t ada@classroom.example lesson 3      # then, any time",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			class, err := openClass(*classDir)
			if err != nil {
				return err
			}
			class.JoinCode = joinCode
			pack, err := g.lessonPack()
			if err != nil {
				return err
			}
			cs := &classServer{g: g, class: class, pack: pack, max: maxSessions, limit: limitMB << 20, active: map[string]int{}}
			srv, err := cs.server(addr, idle)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", addr, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "seclab classroom on %s (class %s)\n", ln.Addr(), class.Dir)
			fmt.Fprintf(cmd.OutOrStdout(), "students: ssh -p PORT -t NAME@HOST      instructor: ssh -p PORT HOST with a key in %s\n",
				filepath.Join(class.Dir, classroom.InstructorsFile))
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			go func() {
				<-ctx.Done()
				sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				srv.Shutdown(sctx)
			}()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, ssh.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", ":2222", "address to listen on")
	f.StringVar(&joinCode, "join-code", os.Getenv("SECLAB_JOIN_CODE"), "let students enrol their key once with this code (or $SECLAB_JOIN_CODE)")
	f.IntVar(&maxSessions, "max-sessions", 60, "most SSH sessions at once")
	f.DurationVar(&idle, "idle-timeout", 30*time.Minute, "close sessions idle this long (progress is kept)")
	f.Int64Var(&limitMB, "student-limit-mb", 256, "refuse sessions of a student whose state exceeds this many MiB")
	return cmd
}

// server builds the SSH server. Middlewares run last to first: admit and
// enrol (no terminal needed), then require a terminal, then the TUI.
func (cs *classServer) server(addr string, idle time.Duration) (*ssh.Server, error) {
	return wish.NewServer(
		wish.WithAddress(addr),
		wish.WithHostKeyPath(filepath.Join(cs.class.Dir, classroom.HostKeyFile)),
		wish.WithPublicKeyAuth(func(ctx ssh.Context, key ssh.PublicKey) bool {
			role, _, err := cs.class.Admit(key)
			// Unknown keys get in only to enrol with the join code.
			return err == nil && (role != classroom.Nobody || cs.class.JoinCode != "")
		}),
		wish.WithIdleTimeout(idle),
		wish.WithMiddleware(
			wishtea.MiddlewareWithProgramHandler(cs.program),
			activeterm.Middleware(),
			cs.admit,
		),
	)
}

type ctxKey string

// admit enrols, enforces limits and remembers who the session is.
func (cs *classServer) admit(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		role, st, err := cs.class.Admit(sess.PublicKey())
		if err != nil {
			wish.Fatalln(sess, "seclab: "+err.Error())
			return
		}
		args := sess.Command()
		if len(args) > 0 && args[0] == "join" {
			if len(args) != 2 {
				wish.Fatalln(sess, "seclab: usage: ssh -p PORT NAME@HOST join CODE")
				return
			}
			st, err := cs.class.Enroll(sess.PublicKey(), sess.User(), args[1])
			if err != nil {
				wish.Fatalln(sess, "seclab: "+err.Error())
				return
			}
			wish.Println(sess, fmt.Sprintf("You are in the class as %s. Start with: ssh -p PORT -t %s@HOST lesson 1", st.Name, st.Name))
			return
		}
		if role == classroom.Nobody {
			wish.Fatalln(sess, "seclab: this key is not in the class. Enrol once with: ssh -p PORT NAME@HOST join CODE")
			return
		}
		id := ""
		if st != nil {
			id = st.ID
			if size := dirSize(st.Dir); cs.limit > 0 && size > cs.limit {
				wish.Fatalln(sess, fmt.Sprintf("seclab: your lab state is %d MiB, over the class limit; ask your instructor to reset it", size>>20))
				return
			}
		}
		if msg := cs.open(id); msg != "" {
			wish.Fatalln(sess, "seclab: "+msg)
			return
		}
		defer cs.close(id)
		labs := &openLabs{}
		// A dropped connection ends the program without the UI's own quit
		// path, so close whatever lab the student still had open.
		defer labs.closeAll()
		sess.Context().SetValue(ctxKey("role"), role)
		sess.Context().SetValue(ctxKey("student"), st)
		sess.Context().SetValue(ctxKey("labs"), labs)
		next(sess)
	}
}

// open counts a session in, or says why it cannot start.
func (cs *classServer) open(id string) string {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.total >= cs.max {
		return fmt.Sprintf("the class is full (%d sessions); try again in a minute", cs.max)
	}
	if id != "" && cs.active[id] > 0 {
		// One lab per student: a second terminal would share the sandbox's state files.
		return "you are already connected in another terminal; close that session first"
	}
	cs.active[id]++
	cs.total++
	return ""
}

func (cs *classServer) close(id string) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.active[id]--
	cs.total--
}

func (cs *classServer) online(id string) bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.active[id] > 0
}

// program builds the session's TUI: the roster for instructors, the
// student's own seclab for students.
func (cs *classServer) program(sess ssh.Session) *tea.Program {
	role, _ := sess.Context().Value(ctxKey("role")).(classroom.Role)
	opts := wishtea.MakeOptions(sess)
	if role == classroom.RoleInstructor {
		return tea.NewProgram(uiclass.New(cs.source()), opts...)
	}
	st, _ := sess.Context().Value(ctxKey("student")).(*classroom.Student)
	if st == nil {
		return nil
	}
	labs, _ := sess.Context().Value(ctxKey("labs")).(*openLabs)
	m, err := cs.studentModel(sess, st, labs)
	if err != nil {
		wish.Fatalln(sess, "seclab: "+err.Error())
		return nil
	}
	return tea.NewProgram(m, opts...)
}

// studentModel is a student's seclab, rooted in their own folder.
func (cs *classServer) studentModel(sess ssh.Session, st *classroom.Student, labs *openLabs) (tea.Model, error) {
	sg := *cs.g
	sg.StateDir, sg.Target, sg.Profile = st.Dir, "sandbox", ""
	sg.NoPublish = true // a student's sandbox is reachable only through their session
	prog, err := sg.progress()
	if err != nil {
		return nil, err
	}
	opts := ui.Options{Pack: cs.pack, Progress: prog, Accessible: cs.g.Accessible}
	if args := sess.Command(); len(args) == 2 && args[0] == "lesson" {
		l, err := cs.pack.Find(args[1])
		if err != nil {
			return nil, err
		}
		opts.Open = l
	}
	if labHook != nil {
		open, err := labHook(&sg)
		if err != nil {
			return nil, err
		}
		opts.OpenLab = func(ctx context.Context, l *lessons.Lesson) (ui.Lab, error) {
			lab, err := open(ctx, l)
			if err != nil {
				return nil, err
			}
			r := &recordingLab{Lab: lab, st: st, lesson: l}
			labs.add(r)
			return r, nil
		}
	}
	return ui.New(opts), nil
}

// recordingLab keeps each check's results for the instructor's drill-down.
type recordingLab struct {
	ui.Lab
	st     *classroom.Student
	lesson *lessons.Lesson
	once   sync.Once
	err    error
}

// Close closes the lab once, whether the UI or the end of the session
// gets there first.
func (r *recordingLab) Close() error {
	r.once.Do(func() { r.err = r.Lab.Close() })
	return r.err
}

// openLabs are the labs one SSH session opened.
type openLabs struct {
	mu   sync.Mutex
	labs []*recordingLab
}

func (o *openLabs) add(r *recordingLab) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.labs = append(o.labs, r)
}

func (o *openLabs) closeAll() {
	o.mu.Lock()
	labs := o.labs
	o.labs = nil
	o.mu.Unlock()
	for _, r := range labs {
		r.Close()
	}
}

func (r *recordingLab) Check(ctx context.Context, step int) ui.CheckReport {
	rep := r.Lab.Check(ctx, step)
	rec := classroom.CheckRecord{Lesson: r.lesson.ID, At: time.Now().UTC()}
	if step >= 0 && step < len(r.lesson.Steps) {
		rec.Step = r.lesson.Steps[step].ID
	}
	for _, c := range rep.Results {
		outcome := map[ui.CheckStatus]string{ui.CheckPass: "PASS", ui.CheckFail: "FAIL"}[c.Status]
		if outcome == "" {
			outcome = "ERROR"
		}
		rec.Results = append(rec.Results, classroom.CheckResult{Name: c.Name, Outcome: outcome, Message: c.Message})
	}
	classroom.RecordCheck(r.st, rec) // best effort: the student's check result stands either way
	return rep
}

// source feeds the roster from the class folder.
func (cs *classServer) source() uiclass.Source {
	return classSource(cs.class, cs.pack, cs.online)
}

func classSource(class *classroom.Class, pack *lessons.Pack, online func(string) bool) uiclass.Source {
	return uiclass.Source{
		Rows: func() ([]classroom.Row, error) { return class.Status(pack) },
		Detail: func(st *classroom.Student) (*classroom.CheckRecord, []classroom.TrailLine, error) {
			rec, err := classroom.LastCheck(st)
			if err != nil {
				return nil, nil, err
			}
			trail, err := classroom.RecentTrail(st, 15)
			return rec, trail, err
		},
		Online: online,
	}
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

func classStatusCmd(g *globals, classDir *string) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the class roster: the live grid in a terminal, a table otherwise",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			class, err := openClass(*classDir)
			if err != nil {
				return err
			}
			pack, err := g.lessonPack()
			if err != nil {
				return err
			}
			if !asJSON && isTerminal() {
				_, err := tea.NewProgram(uiclass.New(classSource(class, pack, nil))).Run()
				return err
			}
			rows, err := class.Status(pack)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), rows)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "STUDENT\tDONE\tHINTS\tLAST ACTIVITY\tWORKING ON")
			for _, r := range rows {
				last := "never"
				if !r.LastActivity.IsZero() {
					last = r.LastActivity.Local().Format("2006-01-02 15:04")
				}
				fmt.Fprintf(tw, "%s\t%d/%d\t%d\t%s\t%s\n", r.Student.Name, r.Passed, r.Total, r.Hints, last, r.Current)
			}
			if len(rows) == 0 {
				fmt.Fprintln(tw, "(no students yet)")
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the roster as JSON")
	return cmd
}

func classExportCmd(g *globals, classDir *string) *cobra.Command {
	var format, out string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export every student's results per lesson and step (csv, json or junit)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			class, err := openClass(*classDir)
			if err != nil {
				return err
			}
			pack, err := g.lessonPack()
			if err != nil {
				return err
			}
			recs, err := class.Records(pack)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if out != "" && out != "-" {
				f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			return classroom.Export(w, format, recs)
		},
	}
	cmd.Flags().StringVar(&format, "format", "csv", "csv, json or junit")
	cmd.Flags().StringVarP(&out, "output", "o", "-", "write to this file instead of standard output")
	return cmd
}

func classAddCmd(classDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "add-bundle FILE…",
		Short: "Add self-study progress bundles (seclab progress export) to the class roster",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			class, err := openClass(*classDir)
			if err != nil {
				return err
			}
			for _, a := range args {
				b, err := os.ReadFile(a)
				if err != nil {
					return err
				}
				st, err := class.AddBundle(b)
				if err != nil {
					return fmt.Errorf("%s: %w", a, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "added %s (signing key %s)\n", st.Name, strings.TrimPrefix(st.Fingerprint, "ed25519:"))
			}
			return nil
		},
	}
}
