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
	*paint
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
func (rv *raceView) update(sc *render.Scene) {
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
	rv.layout = render.NewRaceLayout(rv.regions.Mesh, len(lanes), rv.scale)
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
	rv.show(content, frame, 2*rv.scale, rv.maxScale())
	for i := range rv.lanes {
		ls := &rv.lanes[i]
		ls.cull(rv.view, frame, rv.full) // the same view in every lane's frame
		if l := lanes[i]; ls.plan != nil {
			ls.shade(l.Chip, laneLight(l, ls.plan), l.Version, rv.t, raceRate)
		}
	}
	rv.hover = laneHit{-1, noHit}
	if !content.Empty() && !rv.dragging {
		if lane, tile, d := rv.layout.Hit(rv.planned, rv.view, rv.cursor); lane >= 0 && lane < len(rv.lanes) {
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
func (rv *raceView) draw(screen *ebiten.Image, sc *render.Scene) {
	if rv.img == nil || rv.img.Bounds().Dx() != rv.w || rv.img.Bounds().Dy() != rv.h {
		if rv.img != nil {
			rv.img.Deallocate()
		}
		rv.img = ebiten.NewImage(rv.w, rv.h)
		rv.key, rv.viewKey = "", ""
	}
	viewKey := fmt.Sprintf("%dx%d|%d|%v", rv.w, rv.h, len(sc.Race.Lanes), rv.view)
	key := fmt.Sprintf("%s|%s|%d|%g", sc.Status, sc.Note, sc.Race.Leader, sc.Race.Budget)
	for _, l := range sc.Race.Lanes {
		key += fmt.Sprintf("|%s|%d|%d|%d", l.Status, l.Version, l.Readouts.Queries, len(l.Run.Queries))
	}
	if viewKey != rv.viewKey || (key != rv.key && rv.t-rv.at >= 1.0/raceRate) {
		rv.paintLanes(rv.img, sc)
		rv.key, rv.viewKey, rv.at = key, viewKey, rv.t
		rv.screen = nil
	}
	tip := rv.tooltipText(sc)
	overlay := ""
	if tip != "" {
		overlay = fmt.Sprintf("%v|%v|%s", rv.hover, rv.cursor, tip)
	}
	if rv.screen != screen || overlay != rv.overlay {
		screen.DrawImage(rv.img, &ebiten.DrawImageOptions{Blend: ebiten.BlendCopy}) // over the last overlay
		rv.damaged(render.R(0, 0, float64(rv.w), float64(rv.h)))
		rv.screen, rv.overlay = screen, overlay
		rv.tooltipShown = false
		if tip != "" {
			rv.drawHover(screen)
			rv.showTooltip(screen, tip)
		}
	}
}

// raceTooltip describes the hovered device (zoomed out, its tile) as the layer view does,
// from its lane's own plan and chip, naming the racer; "" when the cursor is over none.
func (rv *raceView) tooltipText(sc *render.Scene) string {
	h := rv.hover
	if h.lane < 0 || h.lane >= len(sc.Race.Lanes) || h.lane >= len(rv.lanes) {
		return ""
	}
	l := &sc.Race.Lanes[h.lane]
	s := rv.lanes[h.lane].describe(h.hit, l.Chip)
	if s == "" {
		return ""
	}
	return l.Name + " · " + s
}

// drawRaceHover outlines the hovered device (zoomed out, its tile) in every lane (the same
// device of identical chips, to compare the racers), brightest in the lane under the
// cursor.
func (rv *raceView) drawHover(screen *ebiten.Image) {
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
		rv.outline(rv.sub(screen, rv.layout.Areas[i]), r.Inset(-1.5*rv.scale), c)
	}
}

// paintRace draws the whole race picture onto dst.
func (rv *raceView) paintLanes(dst *ebiten.Image, sc *render.Scene) {
	race := sc.Race
	dst.Fill(render.Background)
	rv.drawHeader(dst, sc)
	for i := range min(len(race.Lanes), len(rv.layout.Lanes)) {
		rv.drawLane(dst, race, i)
	}
	rv.drawLegend(dst, race)
	colours := make([]color.RGBA, len(race.Lanes))
	runs := make([]render.Run, len(race.Lanes))
	for i, l := range race.Lanes {
		colours[i], runs[i] = l.Colour, l.Run
	}
	budget := ""
	if race.Leader >= 0 {
		budget = "compared at " + render.Compact(race.Budget) + " queries"
	}
	rv.drawChartColours(dst, rv.regions.Accuracy, "test accuracy % / ONN queries", budget, runs, func(r render.Run) []float64 { return r.Accuracy }, colours, true)
	rv.drawChartColours(dst, rv.regions.Power, "power (rad) / ONN queries", "", runs, func(r render.Run) []float64 { return r.Power }, colours, false)
	rv.drawBoard(dst, race)
}

// drawLane draws racer i in its lane: a caption (name, accuracy, queries, speed) over its
// layer's meshes as the race's view shows them, lit by its light, heaters coloured by power.
func (rv *raceView) drawLane(dst *ebiten.Image, race *render.Race, i int) {
	l := race.Lanes[i]
	r := rv.layout.Lanes[i]
	f := rv.fonts.small
	rv.flat.begin(dst)
	rv.flat.rect(r, color.RGBA{0x0b, 0x10, 0x17, 0xff})
	rv.flat.rect(render.R(r.X0, r.Y0, r.X1, r.Y0+2*rv.scale), l.Colour)
	if i == race.Leader {
		rv.flat.rect(render.R(r.X0, r.Y0, r.X0+2*rv.scale, r.Y1), l.Colour)
		rv.flat.rect(render.R(r.X1-2*rv.scale, r.Y0, r.X1, r.Y1), l.Colour)
		rv.flat.rect(render.R(r.X0, r.Y1-2*rv.scale, r.X1, r.Y1), l.Colour)
	}
	rv.flat.flush()
	name := l.Name
	if i == race.Leader {
		name += " · leader"
	}
	drawText(dst, name, rv.fonts.bold, r.X0+6*rv.scale, r.Y0+4*rv.scale, l.Colour, text.AlignStart)
	// The figures right of the name, as many as fit: accuracy, queries, queries per second.
	room := r.W() - textWidth(name, rv.fonts.bold) - 20*rv.scale
	figs := []string{l.Status}
	if l.Chip != nil {
		figs = []string{pct(l.Readouts.Accuracy), render.Compact(float64(l.Readouts.Queries)) + " q", render.Compact(math.Round(l.QPS)) + " q/s"}
	}
	for len(figs) > 1 && textWidth(strings.Join(figs, " · "), f) > room {
		figs = figs[:len(figs)-1]
	}
	if s := strings.Join(figs, " · "); textWidth(s, f) <= room {
		drawText(dst, s, f, r.X1-6*rv.scale, r.Y0+6*rv.scale, render.Text, text.AlignEnd)
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
	rv.flat.begin(rv.sub(dst, area))
	if ls.detail == render.DetailTiles {
		rv.paintTiles(ls, v)
	} else {
		rv.paintGuides(p, ls.tiles, laneLight(l, p), v, area)
		for _, d := range ls.devices {
			rv.paintDevice(p.Devices[d], deviceColour(l.Chip, p.Devices[d]), v)
		}
	}
	rv.flat.flush()
}

// drawRaceLegend names the lanes' colours.
func (rv *raceView) drawLegend(dst *ebiten.Image, race *render.Race) {
	r := rv.regions.Legend
	if r.Empty() {
		return
	}
	f := rv.fonts.small
	x, y := r.X0, r.Y0+1*rv.scale
	for _, l := range race.Lanes {
		rv.flat.begin(dst)
		rv.flat.rect(render.R(x, y+5*rv.scale, x+14*rv.scale, y+8*rv.scale), l.Colour)
		rv.flat.flush()
		x += 18 * rv.scale
		drawText(dst, l.Name, f, x, y, render.Text, text.AlignStart)
		x += textWidth(l.Name, f) + 12*rv.scale
	}
	if hint := "every lane zoomed alike · double-click: fit"; rv.zoomed && x+textWidth(hint, f) <= r.X1 {
		drawText(dst, hint, f, r.X1, y, render.TextDim, text.AlignEnd)
	}
}

// drawBoard lists the racers by standing where a single run shows its sample (place,
// optimizer, accuracy by the leader rule and now, queries, queries per second) and says
// the leader rule.
func (rv *raceView) drawBoard(dst *ebiten.Image, race *render.Race) {
	r := render.R(rv.regions.Input.X0, rv.regions.Input.Y0, rv.regions.Scores.X1, math.Max(rv.regions.Input.Y1, rv.regions.Scores.Y1))
	if r.Empty() {
		return
	}
	f := rv.fonts.small
	lineH := 15 * rv.scale
	var title string
	if race.Leader >= 0 {
		title = fmt.Sprintf("leader: %s", race.Lanes[race.Leader].Name)
	} else {
		title = "leader: none yet (every racer needs a test after training)"
	}
	drawText(dst, title, rv.fonts.bold, r.X0, r.Y0, render.Text, text.AlignStart)
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
		next := xs[c] + w + 10*rv.scale
		if next-10*rv.scale > r.X1 {
			break
		}
		xs = append(xs, next)
	}
	y := r.Y0 + lineH + 4*rv.scale
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
	y = math.Max(y+lineH+4*rv.scale, r.Y1-float64(len(lines))*lineH)
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
