package ui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles holds every style the TUI uses. Build it with NewStyles; the root
// model rebuilds it when the terminal reports its background colour.
type Styles struct {
	// Dark tells which palette the styles were built for.
	Dark bool
	// Glamour is the glamour standard style for lesson Markdown.
	Glamour string

	Border        lipgloss.Style // pane borders
	BorderFocused lipgloss.Style
	Title         lipgloss.Style // pane titles and headings
	TitleFocused  lipgloss.Style
	Text          lipgloss.Style
	Dim           lipgloss.Style // secondary text
	Accent        lipgloss.Style
	Selected      lipgloss.Style // the highlighted row of a list
	Passed        lipgloss.Style // ✓
	Current       lipgloss.Style // ●
	Open          lipgloss.Style // ○
	Failed        lipgloss.Style // ✗
	Errored       lipgloss.Style // !
	Prompt        lipgloss.Style // console prompt
	Status        lipgloss.Style // status bar
	Help          help.Styles
}

// NewStyles returns the styles for a dark or light terminal background.
// Colours are downsampled (or dropped for NO_COLOR) when written, so the
// styles never check the terminal themselves.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	fg := ld(lipgloss.Color("#1F2328"), lipgloss.Color("#E6EDF3"))
	dim := ld(lipgloss.Color("#6E7781"), lipgloss.Color("#8B949E"))
	accent := ld(lipgloss.Color("#0969DA"), lipgloss.Color("#58A6FF"))
	green := ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#3FB950"))
	red := ld(lipgloss.Color("#CF222E"), lipgloss.Color("#F85149"))
	amber := ld(lipgloss.Color("#9A6700"), lipgloss.Color("#D29922"))
	border := ld(lipgloss.Color("#D0D7DE"), lipgloss.Color("#30363D"))
	selBg := ld(lipgloss.Color("#DDF4FF"), lipgloss.Color("#1F3A5F"))

	glam := "light"
	if isDark {
		glam = "dark"
	}
	return Styles{
		Dark:          isDark,
		Glamour:       glam,
		Border:        lipgloss.NewStyle().Foreground(border),
		BorderFocused: lipgloss.NewStyle().Foreground(accent),
		Title:         lipgloss.NewStyle().Foreground(fg).Bold(true),
		TitleFocused:  lipgloss.NewStyle().Foreground(accent).Bold(true),
		Text:          lipgloss.NewStyle().Foreground(fg),
		Dim:           lipgloss.NewStyle().Foreground(dim),
		Accent:        lipgloss.NewStyle().Foreground(accent),
		Selected:      lipgloss.NewStyle().Foreground(fg).Background(selBg).Bold(true),
		Passed:        lipgloss.NewStyle().Foreground(green),
		Current:       lipgloss.NewStyle().Foreground(accent).Bold(true),
		Open:          lipgloss.NewStyle().Foreground(dim),
		Failed:        lipgloss.NewStyle().Foreground(red),
		Errored:       lipgloss.NewStyle().Foreground(amber).Bold(true),
		Prompt:        lipgloss.NewStyle().Foreground(accent).Bold(true),
		Status:        lipgloss.NewStyle().Foreground(dim),
		Help:          help.DefaultStyles(isDark),
	}
}
