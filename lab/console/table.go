package console

import (
	"math"
	"strings"
	"unicode/utf8"
)

// The table format draws each object as a section: a centred title, a
// header row of its scalar keys (sorted) and one row of values; nested
// objects and lists become indented sections titled with their key. A
// table wider than the terminal turns one-row sections into key/value
// pairs. Widths and centring follow the AWS CLI's arithmetic, so that
// output lines up the same way.

type section struct {
	title     string
	headers   []string
	rows      [][]string
	indent    int
	maxWidths []int
}

func (s *section) grow(cells []string) {
	if s.maxWidths == nil {
		s.maxWidths = make([]int, len(cells))
	}
	for i, c := range cells {
		if i < len(s.maxWidths) {
			s.maxWidths[i] = max(s.maxWidths[i], textLen(c))
		} else {
			s.maxWidths = append(s.maxWidths, textLen(c))
		}
	}
}

func textLen(s string) int { return utf8.RuneCountInString(s) }

// columnWidths scales the padded natural widths so they sum to total.
func (s *section) columnWidths(padding, total int) []int {
	if len(s.maxWidths) == 0 {
		return nil
	}
	sum := 0
	for _, w := range s.maxWidths {
		sum += w + padding
	}
	scale := float64(total) / float64(sum)
	scaled := make([]int, len(s.maxWidths))
	got := 0
	for i, w := range s.maxWidths {
		scaled[i] = int(math.RoundToEven(scale * float64(w+padding)))
		got += scaled[i]
	}
	for off := got - total; off != 0; {
		if off > 0 {
			for i := 0; i < len(scaled) && off > 0; i++ {
				scaled[i]--
				off--
			}
		} else {
			for i := len(scaled) - 1; i >= 0 && off < 0; i-- {
				scaled[i]++
				off++
			}
		}
	}
	return scaled
}

func (s *section) totalWidth() int {
	total := 2 + 2*s.indent
	for _, w := range s.maxWidths {
		total += w + 4
	}
	return max(textLen(s.title)+2+2*s.indent, total)
}

type table struct {
	sections []*section
	cur      *section
}

func (t *table) newSection(title string, indent int) {
	t.cur = &section{title: title, indent: indent}
	t.sections = append(t.sections, t.cur)
}

func (t *table) header(h []string) {
	t.cur.headers = h
	t.cur.grow(h)
}

func (t *table) row(cells []any) {
	r := make([]string, len(cells))
	for i, c := range cells {
		r[i] = pyStr(c)
	}
	t.cur.rows = append(t.cur.rows, r)
	t.cur.grow(r)
}

func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return v != ""
	case bool:
		return v
	case float64:
		return v != 0
	case map[string]any:
		return len(v) > 0
	case []any:
		return len(v) > 0
	}
	return true
}

func (t *table) build(title *string, v any, indent int) bool {
	if !truthy(v) {
		return false
	}
	if title != nil {
		t.newSection(*title, indent)
	}
	switch v := v.(type) {
	case []any:
		if _, ok := v[0].(map[string]any); ok {
			t.fromList(v, indent, title)
			break
		}
		for _, item := range v {
			switch item := item.(type) {
			case []any:
				allScalar := true
				for _, e := range item {
					allScalar = allScalar && isScalar(e)
				}
				if allScalar {
					t.row(item)
				} else {
					t.build(nil, item, 0)
				}
			case map[string]any:
				t.build(nil, item, 0)
			default:
				t.row([]any{item})
			}
		}
	case map[string]any:
		t.fromMap(v, indent)
	}
	return true
}

func splitKeys(m map[string]any) (scalars, more []string) {
	for _, k := range sortedKeys(m) {
		if isScalar(m[k]) {
			scalars = append(scalars, k)
		} else {
			more = append(more, k)
		}
	}
	return scalars, more
}

func (t *table) fromMap(m map[string]any, indent int) {
	headers, more := splitKeys(m)
	switch {
	case len(headers) == 1:
		t.row([]any{headers[0], m[headers[0]]})
	case len(headers) > 1:
		t.header(headers)
		cells := make([]any, len(headers))
		for i, h := range headers {
			cells[i] = m[h]
		}
		t.row(cells)
	}
	for _, k := range more {
		k := k
		t.build(&k, m[k], indent+1)
	}
}

func (t *table) fromList(list []any, indent int, title *string) {
	hs, ms := map[string]bool{}, map[string]bool{}
	for _, e := range list {
		m, _ := e.(map[string]any)
		s, n := splitKeys(m)
		for _, k := range s {
			hs[k] = true
		}
		for _, k := range n {
			ms[k] = true
		}
	}
	headers, more := sortedSet(hs), sortedSet(ms)
	t.header(headers)
	for i, e := range list {
		m, _ := e.(map[string]any)
		if i > 0 && len(more) > 0 {
			ttl := ""
			if title != nil {
				ttl = *title
			}
			t.newSection(ttl, indent)
			t.header(headers)
		}
		cells := make([]any, len(headers))
		for j, h := range headers {
			if x, ok := m[h]; ok {
				cells[j] = x
			} else {
				cells[j] = ""
			}
		}
		t.row(cells)
		for _, k := range more {
			if x, ok := m[k]; ok {
				k := k
				t.build(&k, x, indent+1)
			}
		}
	}
}

func sortedSet(s map[string]bool) []string {
	m := make(map[string]any, len(s))
	for k := range s {
		m[k] = nil
	}
	return sortedKeys(m)
}

func formatTable(v any, title string, width int) string {
	if width <= 0 {
		width = 80
	}
	t := &table{}
	if !t.build(&title, v, 0) {
		return ""
	}
	maxWidth := t.maxWidth()
	if maxWidth > width {
		t.vertical()
		maxWidth = t.maxWidth()
	}
	var b strings.Builder
	b.WriteString(strings.Repeat("-", maxWidth) + "\n")
	for _, s := range t.sections {
		s.render(&b, maxWidth)
	}
	return b.String()
}

func (t *table) maxWidth() int {
	w := 0
	for _, s := range t.sections {
		w = max(w, s.totalWidth())
	}
	return w
}

// vertical turns every one-row section with headers into key/value rows.
func (t *table) vertical() {
	for i, s := range t.sections {
		if len(s.rows) != 1 || len(s.headers) == 0 {
			continue
		}
		n := &section{title: s.title, indent: s.indent}
		for j, h := range s.headers {
			if j < len(s.rows[0]) {
				r := []string{h, s.rows[0][j]}
				n.rows = append(n.rows, r)
				n.grow(r)
			}
		}
		t.sections[i] = n
	}
}

func (s *section) render(b *strings.Builder, maxWidth int) {
	edge := strings.Repeat("|", s.indent)
	line := func(text string) { b.WriteString(edge + text + edge + "\n") }
	maxWidth -= 2 * s.indent
	if s.title != "" {
		line(center(s.title, maxWidth, "|", "|"))
		if len(s.headers) == 0 && len(s.rows) == 0 {
			line("+" + strings.Repeat("-", max(0, maxWidth-2)) + "+")
		}
	}
	widths := s.columnWidths(4, maxWidth)
	if len(s.headers) > 0 {
		line(rule(widths))
		var cur strings.Builder
		for i, h := range s.headers {
			left := ""
			if i == 0 {
				left = "|"
			}
			if i < len(widths) {
				cur.WriteString(center(h, widths[i], left, "|"))
			}
		}
		line(cur.String())
	}
	if len(s.rows) == 0 || len(widths) == 0 {
		return
	}
	line(rule(widths))
	for _, r := range s.rows {
		var cur strings.Builder
		for i, c := range r {
			left := ""
			if i == 0 {
				left = "|"
			}
			if i < len(widths) {
				cur.WriteString(alignLeft(c, widths[i], left, "|"))
			}
		}
		line(cur.String())
	}
	line(rule(widths))
}

func rule(widths []int) string {
	var b strings.Builder
	for i, w := range widths {
		if i == 0 {
			b.WriteString("+" + strings.Repeat("-", max(0, w-2)) + "+")
		} else {
			b.WriteString(strings.Repeat("-", max(0, w-1)) + "+")
		}
	}
	return b.String()
}

func center(text string, length int, left, right string) string {
	n := textLen(text)
	start := length/2 - n/2 - 1
	soFar := len(left) + start + n
	return left + strings.Repeat(" ", max(0, start)) + text + strings.Repeat(" ", max(0, length-len(right)-soFar)) + right
}

func alignLeft(text string, length int, left, right string) string {
	n := textLen(text)
	pad := 2
	if length-(n+2+len(left)+len(right)) < 0 {
		pad = 0
	}
	soFar := len(left) + pad + n
	return left + strings.Repeat(" ", pad) + text + strings.Repeat(" ", max(0, length-soFar-len(right))) + right
}
