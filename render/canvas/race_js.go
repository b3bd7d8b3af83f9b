package canvas

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/meshlight/meshlight/render"
)

// raceView is the race's view: where its lanes lie, each lane's floor plan and what is in
// view of it, and the one zoom all lanes share, with the device under the cursor (Update
// builds them, prepareRace); and the cached picture, redrawn from the scene at most
// raceRate times a second while only figures change (a race changes by its figures and
// heaters; it has no animation) and at once when the view changes. Each frame copies the
// picture only when it changed, the screen is new or what is drawn over it (the hovered
// device and its tooltip) changed.
type raceView struct {
	open    bool              // a race is shown
	layout  render.RaceLayout // the lanes and their meshes' areas on the screen
	lanes   []sheet           // per lane: its plan and what the zoom shows of it
	planned []*render.Plan    // per lane: its plan, nil when none (for the hit test)
	zoom                      // of every lane's plan, in the layout's Frame
	hover   laneHit           // what of which lane is under the cursor

	img     *ebiten.Image
	at      float64 // animation clock of the last redraw
	key     string  // what the last redraw showed: its figures
	viewKey string  // and its size and view
	screen  *ebiten.Image
	overlay string // what was drawn over the picture on screen
}

// raceRate is how many times a second the race picture may be redrawn.
const raceRate = 5

// laneHit is the lane under the cursor (-1: none) and what of its plan is under it.
type laneHit struct {
	lane int
	hit
}

// prepareRace lays out the race's lanes for the scene the next Draw shows (Update, after
// the simulation's step): their areas, each lane's plan (rebuilt when its chip, layer or
// shape changes), the zoom's fit, what each lane shows of its plan and the device under the
// cursor. Without a race it drops them, so a race opened later starts fitted.
func (g *Game) prepareRace(sc *render.Scene) {
	rv := &g.race
	if sc == nil || sc.Race == nil {
		if rv.open {
			clear(rv.lanes)
			clear(rv.planned)
			rv.open, rv.layout, rv.lanes, rv.planned, rv.zoom = false, render.RaceLayout{}, rv.lanes[:0], rv.planned[:0], zoom{}
		}
		rv.hover = laneHit{-1, noHit}
		return
	}
	rv.open = true
	lanes := sc.Race.Lanes
	rv.layout = render.NewRaceLayout(g.regions.Mesh, len(lanes), g.scale)
	frame := rv.layout.Frame
	aspect := planAspect(frame)
	for len(rv.lanes) < len(lanes) {
		rv.lanes, rv.planned = append(rv.lanes, sheet{}), append(rv.planned, nil)
	}
	clear(rv.lanes[len(lanes):])
	clear(rv.planned[len(lanes):])
	rv.lanes, rv.planned = rv.lanes[:len(lanes)], rv.planned[:len(lanes)]
	var content render.Rect
	for i, l := range lanes {
		s := &rv.lanes[i]
		s.plan, s.err, rv.planned[i] = nil, nil, nil
		if frame.Empty() || l.Chip == nil {
			continue
		}
		s.replan(l.Chip, l.Chip.Layer, aspect)
		if s.plan != nil {
			rv.planned[i] = s.plan
			content = content.Union(s.plan.Bounds)
		}
	}
	// The racers' chips are identical, so their plans are too: one view fits them all.
	rv.show(content, frame, 2*g.scale, g.maxScale())
	for i := range rv.lanes {
		ls := &rv.lanes[i]
		ls.cull(rv.view, frame) // the same view in every lane's frame
		if l := lanes[i]; ls.plan != nil {
			ls.shade(l.Chip, laneLight(l, ls.plan), l.Version, g.t, raceRate)
		}
	}
	rv.hover = laneHit{-1, noHit}
	if !content.Empty() && !g.dragging {
		if lane, tile, d := rv.layout.Hit(rv.planned, rv.view, g.cursor); lane >= 0 && lane < len(rv.lanes) {
			rv.hover = laneHit{lane, rv.lanes[lane].shownHit(tile, d)}
		}
	}
}

// laneLight is lane l's light when it fits plan p (the lane's layer), nil otherwise.
func laneLight(l render.Lane, p *render.Plan) *render.Light {
	if l.Light != nil && len(l.Light.Fields) == len(p.Tiles) {
		return l.Light
	}
	return nil
}

// drawRace draws a race: the header, the lanes' meshes side by side, their curves overlaid
// in the lanes' colours and a leader board where the sample is in a single run, from the
// cached picture; then the hovered device and its tooltip over it.
func (g *Game) drawRace(screen *ebiten.Image, sc *render.Scene) {
	rv := &g.race
	g.chromeKind = "" // the single run's picture is redrawn whole when the race closes
	if rv.img == nil || rv.img.Bounds().Dx() != g.w || rv.img.Bounds().Dy() != g.h {
		if rv.img != nil {
			rv.img.Deallocate()
		}
		rv.img = ebiten.NewImage(g.w, g.h)
		rv.key, rv.viewKey = "", ""
	}
	viewKey := fmt.Sprintf("%dx%d|%d|%v", g.w, g.h, len(sc.Race.Lanes), rv.view)
	key := fmt.Sprintf("%s|%s|%d|%g", sc.Status, sc.Note, sc.Race.Leader, sc.Race.Budget)
	for _, l := range sc.Race.Lanes {
		key += fmt.Sprintf("|%s|%d|%d|%d", l.Status, l.Version, l.Readouts.Queries, len(l.Run.Queries))
	}
	if viewKey != rv.viewKey || (key != rv.key && g.t-rv.at >= 1.0/raceRate) {
		g.paintRace(rv.img, sc)
		rv.key, rv.viewKey, rv.at = key, viewKey, g.t
		rv.screen = nil
	}
	tip := g.raceTooltip(sc)
	overlay := ""
	if tip != "" {
		overlay = fmt.Sprintf("%v|%v|%s", rv.hover, g.cursor, tip)
	}
	if rv.screen != screen || overlay != rv.overlay {
		screen.DrawImage(rv.img, &ebiten.DrawImageOptions{Blend: ebiten.BlendCopy}) // over the last overlay
		rv.screen, rv.overlay = screen, overlay
		g.tooltipShown = false
		if tip != "" {
			g.drawRaceHover(screen)
			g.showTooltip(screen, tip)
		}
	}
}

// raceTooltip describes the hovered device (zoomed out, its tile) as the layer view does,
// from its lane's own plan and chip, naming the racer; "" when the cursor is over none.
func (g *Game) raceTooltip(sc *render.Scene) string {
	h := g.race.hover
	if h.lane < 0 || h.lane >= len(sc.Race.Lanes) || h.lane >= len(g.race.lanes) {
		return ""
	}
	l := &sc.Race.Lanes[h.lane]
	s := g.race.lanes[h.lane].describe(h.hit, l.Chip)
	if s == "" {
		return ""
	}
	return l.Name + " · " + s
}

// drawRaceHover outlines the hovered device (zoomed out, its tile) in every lane (the same
// device of identical chips, to compare the racers), brightest in the lane under the
// cursor.
func (g *Game) drawRaceHover(screen *ebiten.Image) {
	rv := &g.race
	for i := range rv.lanes {
		r, ok := rv.lanes[i].hovered(rv.hover.hit)
		if !ok || i >= len(rv.layout.Areas) {
			continue
		}
		c := render.TextDim
		if i == rv.hover.lane {
			c = render.Text
		}
		r = rv.layout.Lane(rv.view, i).ApplyRect(r)
		g.outline(g.sub(screen, rv.layout.Areas[i]), r.Inset(-1.5*g.scale), c)
	}
}

// paintRace draws the whole race picture onto dst.
func (g *Game) paintRace(dst *ebiten.Image, sc *render.Scene) {
	race := sc.Race
	dst.Fill(render.Background)
	g.drawHeader(dst, sc)
	for i := range min(len(race.Lanes), len(g.race.layout.Lanes)) {
		g.drawLane(dst, race, i)
	}
	g.drawRaceLegend(dst, race)
	colours := make([]color.RGBA, len(race.Lanes))
	runs := make([]render.Run, len(race.Lanes))
	for i, l := range race.Lanes {
		colours[i], runs[i] = l.Colour, l.Run
	}
	budget := ""
	if race.Leader >= 0 {
		budget = "compared at " + render.Compact(race.Budget) + " queries"
	}
	g.drawChartColours(dst, g.regions.Accuracy, "test accuracy % / ONN queries", budget, runs, func(r render.Run) []float64 { return r.Accuracy }, colours, true)
	g.drawChartColours(dst, g.regions.Power, "power (rad) / ONN queries", "", runs, func(r render.Run) []float64 { return r.Power }, colours, false)
	g.drawBoard(dst, race)
}

// drawLane draws racer i in its lane: a caption (name, accuracy, queries, speed) over its
// layer's meshes as the race's view shows them, lit by its light, heaters coloured by power.
func (g *Game) drawLane(dst *ebiten.Image, race *render.Race, i int) {
	l := race.Lanes[i]
	rv := &g.race
	r := rv.layout.Lanes[i]
	f := g.fonts.small
	g.flat.begin(dst)
	g.flat.rect(r, color.RGBA{0x0b, 0x10, 0x17, 0xff})
	g.flat.rect(render.R(r.X0, r.Y0, r.X1, r.Y0+2*g.scale), l.Colour)
	if i == race.Leader {
		g.flat.rect(render.R(r.X0, r.Y0, r.X0+2*g.scale, r.Y1), l.Colour)
		g.flat.rect(render.R(r.X1-2*g.scale, r.Y0, r.X1, r.Y1), l.Colour)
		g.flat.rect(render.R(r.X0, r.Y1-2*g.scale, r.X1, r.Y1), l.Colour)
	}
	g.flat.flush()
	name := l.Name
	if i == race.Leader {
		name += " · leader"
	}
	drawText(dst, name, g.fonts.bold, r.X0+6*g.scale, r.Y0+4*g.scale, l.Colour, text.AlignStart)
	// The figures right of the name, as many as fit: accuracy, queries, queries per second.
	room := r.W() - textWidth(name, g.fonts.bold) - 20*g.scale
	figs := []string{l.Status}
	if l.Chip != nil {
		figs = []string{pct(l.Readouts.Accuracy), render.Compact(float64(l.Readouts.Queries)) + " q", render.Compact(math.Round(l.QPS)) + " q/s"}
	}
	for len(figs) > 1 && textWidth(strings.Join(figs, " · "), f) > room {
		figs = figs[:len(figs)-1]
	}
	if s := strings.Join(figs, " · "); textWidth(s, f) <= room {
		drawText(dst, s, f, r.X1-6*g.scale, r.Y0+6*g.scale, render.Text, text.AlignEnd)
	}
	if i >= len(rv.layout.Areas) || i >= len(rv.lanes) || rv.layout.Areas[i].Empty() || l.Chip == nil {
		return
	}
	area := rv.layout.Areas[i]
	ls := &rv.lanes[i]
	if ls.err != nil {
		drawText(dst, ls.err.Error(), f, area.X0, area.Y0, render.TextDim, text.AlignStart)
		return
	}
	if !ls.shows(l.Chip, l.Chip.Layer) {
		return // planned in the next Update
	}
	p := ls.plan
	v := rv.layout.Lane(rv.view, i)
	// Only the tiles and devices in the lane's view (prepareRace): zoomed in on a large
	// layer, a small part of it; zoomed out, its tiles in their shades.
	g.flat.begin(g.sub(dst, area))
	if ls.detail == render.DetailTiles {
		g.paintTiles(ls, v)
	} else {
		g.paintGuides(p, ls.tiles, laneLight(l, p), v, area)
		for _, d := range ls.devices {
			g.paintDevice(p.Devices[d], deviceColour(l.Chip, p.Devices[d]), v)
		}
	}
	g.flat.flush()
}

// drawRaceLegend names the lanes' colours.
func (g *Game) drawRaceLegend(dst *ebiten.Image, race *render.Race) {
	r := g.regions.Legend
	if r.Empty() {
		return
	}
	f := g.fonts.small
	x, y := r.X0, r.Y0+1*g.scale
	for _, l := range race.Lanes {
		g.flat.begin(dst)
		g.flat.rect(render.R(x, y+5*g.scale, x+14*g.scale, y+8*g.scale), l.Colour)
		g.flat.flush()
		x += 18 * g.scale
		drawText(dst, l.Name, f, x, y, render.Text, text.AlignStart)
		x += textWidth(l.Name, f) + 12*g.scale
	}
	if hint := "every lane zoomed alike · double-click: fit"; g.race.zoomed && x+textWidth(hint, f) <= r.X1 {
		drawText(dst, hint, f, r.X1, y, render.TextDim, text.AlignEnd)
	}
}

// drawBoard lists the racers by standing where a single run shows its sample (place,
// optimizer, accuracy by the leader rule and now, queries, queries per second) and says
// the leader rule.
func (g *Game) drawBoard(dst *ebiten.Image, race *render.Race) {
	r := render.R(g.regions.Input.X0, g.regions.Input.Y0, g.regions.Scores.X1, math.Max(g.regions.Input.Y1, g.regions.Scores.Y1))
	if r.Empty() {
		return
	}
	f := g.fonts.small
	lineH := 15 * g.scale
	var title string
	if race.Leader >= 0 {
		title = fmt.Sprintf("leader: %s", race.Lanes[race.Leader].Name)
	} else {
		title = "leader: none yet (every racer needs a test after training)"
	}
	drawText(dst, title, g.fonts.bold, r.X0, r.Y0, render.Text, text.AlignStart)
	order := make([]int, len(race.Lanes))
	for i := range order {
		order[i] = i
	}
	// Place by standing (the leader first), then in race order (a NaN standing stays put).
	sort.SliceStable(order, func(a, b int) bool {
		la, lb := order[a], order[b]
		if la == race.Leader || lb == race.Leader {
			return la == race.Leader
		}
		return race.Lanes[la].Standing > race.Lanes[lb].Standing
	})
	heads := []string{"", "optimizer", "at budget", "now", "queries", "q/s"}
	rows := make([][]string, len(order))
	for k, i := range order {
		l := race.Lanes[i]
		rows[k] = []string{fmt.Sprint(k + 1), l.Name, pct(l.Standing), pct(l.Readouts.Accuracy), render.Compact(float64(l.Readouts.Queries)), render.Compact(math.Round(l.QPS))}
	}
	// Columns as wide as their widest cell; the last ones are left out if they do not fit.
	xs := []float64{r.X0}
	for c, h := range heads {
		w := textWidth(h, f)
		for _, row := range rows {
			w = math.Max(w, textWidth(row[c], f))
		}
		next := xs[c] + w + 10*g.scale
		if next-10*g.scale > r.X1 {
			break
		}
		xs = append(xs, next)
	}
	y := r.Y0 + lineH + 4*g.scale
	for c := range len(xs) - 1 {
		drawText(dst, heads[c], f, xs[c], y, render.TextDim, text.AlignStart)
	}
	for k, row := range rows {
		y += lineH
		if y+lineH > r.Y1 {
			break
		}
		for c := range len(xs) - 1 {
			col := render.Text
			if c == 1 {
				col = race.Lanes[order[k]].Colour
			}
			drawText(dst, row[c], f, xs[c], y, col, text.AlignStart)
		}
	}
	// The rule, under the table, wrapped to the board's width.
	lines := wrapText(race.Rule, f, r.W())
	y = math.Max(y+lineH+4*g.scale, r.Y1-float64(len(lines))*lineH)
	for _, ln := range lines {
		if y+lineH > r.Y1+1 {
			break
		}
		drawText(dst, ln, f, r.X0, y, render.TextDim, text.AlignStart)
		y += lineH
	}
}

// wrapText breaks s into lines at most w wide (a word longer than w gets a line of its own).
func wrapText(s string, f *text.GoTextFace, w float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && textWidth(line+" "+word, f) > w {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
