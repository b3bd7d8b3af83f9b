package canvas

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
)

// Game draws the simulator's scenes with ebiten. Update reads the input, lays the screen
// out and prepares the view the scene it is given shows (its plan, zoom, what is in view
// and under the cursor); Draw only reads these and that scene, and paints, caching pictures
// on what they show. It knows nothing of where scenes come from: the page (wasm/) steps the
// engine, hands each frame's scene to Update and runs Draw. Its state apart from the screen
// is in parts: the layer, network and race views, the chrome's cache and the pointer.
type Game struct {
	scene *render.Scene // the scene Update prepared, which Draw draws

	w, h  int     // screen in device pixels
	scale float64 // device pixels per CSS pixel

	white, glow *ebiten.Image
	flat, add   *batch
	fonts       *fonts
	fontScale   float64

	regions render.Regions // the screen's parts (Update lays them out)
	laid    screenSize     // the screen regions and the views were prepared for
	shown   shown          // the view Update prepared, the one the scene shows

	layer       layerView // one layer's floor plan (mesh_js.go)
	chromeCache           // the header, legend and charts, drawn when they change
	net         netView   // the whole-network view (network_js.go)
	race        raceView  // a race of optimizers (race_js.go)
	pointer               // the mouse: drag, double click

	start time.Time
	t     float64 // animation clock, seconds
}

// screenSize is a screen's size in device pixels and its pixels per CSS pixel.
type screenSize struct {
	w, h  int
	scale float64
}

// shown names what the mesh area shows.
type shown int

const (
	shownNothing shown = iota // no scene yet
	shownLayer                // one layer of the chip
	shownNetwork              // the whole network
	shownRace                 // a race of optimizers, one lane per racer
)

// shownBy is the view that scene sc shows.
func shownBy(sc *render.Scene) shown {
	switch {
	case sc == nil:
		return shownNothing
	case sc.Race != nil:
		return shownRace
	case netShown(sc):
		return shownNetwork
	}
	return shownLayer
}

// layerView is the shown layer's floor plan and how it maps to the screen (Update), with
// what is drawn of it (Draw, mesh_js.go).
type layerView struct {
	sheet               // the plan (rebuilt when the chip, the layer or the area's shape changes) and what is in view
	zoom                // of the plan in the area below the caption
	hover hit           // the tile and device under the cursor
	light *render.Light // the scene's light when it fits the plan

	// active is how many of the layer's devices are active, for the caption, counted for
	// the chip and scene version activeFor.
	active    int
	activeFor activeKey

	layers meshLayers // Draw's pictures of the plan
}

// activeKey is what the caption's count of active devices depends on: the chip's state of
// a layer as of a scene's version.
type activeKey struct {
	chip    *render.ChipState
	id      uint64
	layer   int
	version uint64
}

// chromeCache is the picture of everything but the mesh, redrawn only when what it shows
// changes, and the last frame's tooltip.
type chromeCache struct {
	chrome        *ebiten.Image
	chromeKind    string
	chromeFigures string
	chromeAt      float64
	lastScreen    *ebiten.Image
	tooltipShown  bool   // a tooltip was drawn in the last frame
	tooltipText   string // and what it said (Hover)
}

// pointer is the mouse's state over the canvas.
type pointer struct {
	dragging  bool
	dragFrom  render.Point
	lastClick time.Time
	cursor    render.Point
}

// NewGame returns a game that draws nothing until its first Update.
func NewGame() *Game {
	g := &Game{scale: 1, start: time.Now()}
	g.layer.hover, g.net.hover, g.race.hover = noHit, [2]int{-1, -1}, laneHit{-1, noHit}
	g.white = whiteImage()
	g.glow = glowImage(48)
	g.flat = newBatch(g.white, ebiten.BlendSourceOver)
	g.add = newBatch(g.glow, ebiten.BlendLighter)
	return g
}

// Layout uses the full device resolution of the page area (up to 2 device pixels per CSS
// pixel), so lines stay crisp.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	s := math.Min(math.Max(ebiten.Monitor().DeviceScaleFactor(), 1), 2)
	g.scale = s
	g.w, g.h = max(1, int(math.Ceil(float64(outsideWidth)*s))), max(1, int(math.Ceil(float64(outsideHeight)*s)))
	return g.w, g.h
}

// Update handles the mouse and the keys over the view shown (the wheel zooms at the cursor,
// a drag pans, a double click or F fits) and prepares the view of scene sc, which the next
// Draw draws (sc must stay unchanged until then).
func (g *Game) Update(sc *render.Scene) { g.update(readInput(), sc) }

// update is Update with this tick's input.
func (g *Game) update(in input, sc *render.Scene) {
	g.t = in.at.Sub(g.start).Seconds()
	g.cursor = in.cursor
	switch g.shown { // the view as the last Update prepared it, which the user sees
	case shownLayer:
		g.steer(&g.layer.zoom, in, in.cursor, g.regions.Mesh.Contains(in.cursor))
	case shownNetwork:
		g.steer(&g.net.zoom, in, in.cursor, g.regions.Mesh.Contains(in.cursor))
	case shownRace:
		lane, at := g.race.layout.At(in.cursor) // every lane zooms at the cursor's point in its own lane
		g.steer(&g.race.zoom, in, at, lane >= 0)
	}
	g.scene = sc
	g.prepare(sc)
}

// prepare lays the screen out for scene sc, the one the next Draw shows, and prepares its
// view: the layer's or the network's plan, zoom, what is in view and under the cursor, or
// the race's lanes. The race's state is dropped when none is open, so a race opened later
// starts fitted; the layer and network views keep theirs while another view shows.
func (g *Game) prepare(sc *render.Scene) {
	g.regions = render.Arrange(float64(g.w), float64(g.h), g.scale)
	g.laid = screenSize{g.w, g.h, g.scale}
	g.shown = shownBy(sc)
	g.prepareRace(sc)
	switch g.shown {
	case shownLayer:
		g.prepareLayer(sc)
	case shownNetwork:
		g.prepareNet(sc)
	}
}

// prepareLayer plans the scene's layer for the mesh area (the kept plan unless the chip,
// the layer or the area's shape changed), fits the zoom, finds the tiles and devices in view
// at the zoom's level of detail (zoomed out, the tiles' shades) and the tile and device
// under the cursor, takes the scene's light (computed by the engine) when it fits the plan,
// and counts the active devices for the caption.
func (g *Game) prepareLayer(sc *render.Scene) {
	lv := &g.layer
	lv.hover, lv.light = noHit, nil
	lv.replan(sc.Chip, sc.Layer, planAspect(g.regions.Mesh))
	if lv.plan == nil {
		lv.cull(render.Transform{}, render.Rect{})
		return
	}
	area := g.planArea()
	lv.show(lv.plan.Bounds, area, 4*g.scale, g.maxScale())
	// Halos glow past their devices, and tiles past their edges: those just outside are drawn too.
	lv.cull(lv.view, area.Inset(-haloRadius(lv.view.Scale)))
	if sc.Light != nil && len(sc.Light.Fields) == len(lv.plan.Tiles) {
		lv.light = sc.Light
	}
	lv.shade(sc.Chip, lv.light, sc.Version, g.t, lightRate)
	if area.Contains(g.cursor) && !g.dragging {
		lv.hover = lv.hitAt(lv.view.Invert(g.cursor))
	}
	if key := (activeKey{sc.Chip, sc.Chip.ID, sc.Chip.Layer, sc.Version}); key != lv.activeFor {
		lv.active, lv.activeFor = countActive(sc.Chip.DevActive), key
	}
}

// countActive is how many of the devices are active.
func countActive(active []bool) int {
	n := 0
	for _, a := range active {
		if a {
			n++
		}
	}
	return n
}

// shownZoom is the zoom of the view shown.
func (g *Game) shownZoom() *zoom {
	switch g.shown {
	case shownNetwork:
		return &g.net.zoom
	case shownRace:
		return &g.race.zoom
	}
	return &g.layer.zoom
}

// Zoom is how far the view shown (the layer, the network or the race's lanes) is zoomed
// in: its scale over the fit's, 1 when it shows everything. For the page API and its tests.
func (g *Game) Zoom() float64 {
	z := g.shownZoom()
	if !(z.fit.Scale > 0) {
		return 1
	}
	return z.view.Scale / z.fit.Scale
}

// maxScale lets the user zoom until one waveguide pitch is 40 CSS pixels.
func (g *Game) maxScale() float64 { return 40 * g.scale }

// Draw draws the scene as Update prepared it. A frame that Update has not prepared (before
// its first call, or when Layout changed the screen's size since) shows the background and
// the next one everything.
func (g *Game) Draw(screen *ebiten.Image) {
	sc := g.scene
	if g.fonts == nil || g.fontScale != g.scale {
		f, err := newFonts(g.scale)
		if err != nil {
			return // the embedded fonts always parse; nothing sensible to draw without them
		}
		g.fonts, g.fontScale = f, g.scale
	}
	if b := screen.Bounds(); sc == nil || g.shown != shownBy(sc) || g.laid != (screenSize{b.Dx(), b.Dy(), g.scale}) {
		screen.Fill(render.Background)
		g.lastScreen, g.race.screen = nil, nil // copy the cached pictures again
		return
	}
	if g.shown == shownRace {
		g.drawRace(screen, sc)
		return
	}
	g.race.screen = nil      // a race drawn later copies its picture again
	g.drawChrome(screen, sc) // every pixel: the background and all around the mesh
	if g.shown == shownNetwork {
		g.drawNetwork(screen, sc)
		g.netTooltip(screen, sc)
		return
	}
	g.drawMesh(screen, sc)
	g.drawTooltip(screen, sc)
}

// Hover is what the tooltip said in the last frame ("" when none was shown), for the page
// API and its tests.
func (g *Game) Hover() string {
	if !g.tooltipShown {
		return ""
	}
	return g.tooltipText
}

// chromeRate is how many times a second the charts, readouts and sample may be redrawn
// when nothing but their figures changed.
const chromeRate = 4

// drawChrome covers the screen with everything around the mesh (background, header,
// caption, legend, charts, sample and scores) from a cached opaque image, redrawn when what it shows changes in kind, or at chromeRate
// while only figures move.
func (g *Game) drawChrome(screen *ebiten.Image, sc *render.Scene) {
	// What the chrome shows changes in kind (redraw now) or in figures (redraw at most at
	// chromeRate); when neither changed, the cached image is reused.
	kind := fmt.Sprintf("%dx%d|%s|%s|%s|%s|%d|%d|%v|%d|%v|%s|%v", g.w, g.h, sc.Title, sc.Status, sc.Note, sc.LoadingText, len(sc.Runs), sc.Layer, sc.Ready, g.layer.plans.key.chip, g.shownZoom().zoomed, sc.View, g.layer.detail)
	figures := fmt.Sprintf("%d|%d|%d", sc.Version, sc.Readouts.Queries, sc.Sample.Label)
	if n := len(sc.Runs); n > 0 {
		figures += fmt.Sprintf("|%d", len(sc.Runs[n-1].Queries))
	}
	if g.chrome == nil || g.chrome.Bounds().Dx() != g.w || g.chrome.Bounds().Dy() != g.h {
		if g.chrome != nil {
			g.chrome.Deallocate()
		}
		g.chrome = ebiten.NewImage(g.w, g.h)
		g.chromeKind = ""
	}
	redraw := kind != g.chromeKind || (figures != g.chromeFigures && g.t-g.chromeAt >= 1.0/chromeRate)
	if redraw {
		g.chrome.Fill(render.Background)
		if g.shown == shownLayer && g.layer.shows(sc.Chip, sc.Layer) {
			g.drawMeshCaption(g.chrome, sc, sc.Chip.Layers[sc.Layer])
		}
		g.drawLegend(g.chrome, sc)
		g.drawCharts(g.chrome, sc)
		g.drawSample(g.chrome, sc)
		g.drawHeader(g.chrome, sc)
		g.chromeKind, g.chromeFigures, g.chromeAt = kind, figures, g.t
	}
	// The screen keeps its pixels between frames (main sets SetScreenClearedEveryFrame
	// false): the chrome is copied only when it changed, onto a new screen, over last
	// frame's tooltip, or around the loading text; the mesh area is redrawn every frame.
	meshDrawn := g.layer.plan != nil || g.shown == shownNetwork // the network view covers the mesh area, loading or not
	if redraw || screen != g.lastScreen || g.tooltipShown || !meshDrawn {
		screen.DrawImage(g.chrome, &ebiten.DrawImageOptions{Blend: ebiten.BlendCopy})
	}
	g.lastScreen = screen
}

// planArea is the mesh region below its caption line.
func (g *Game) planArea() render.Rect {
	m := g.regions.Mesh
	return render.R(m.X0, m.Y0+16*g.scale, m.X1, m.Y1)
}

func (g *Game) sub(dst *ebiten.Image, r render.Rect) *ebiten.Image {
	return dst.SubImage(image.Rect(int(math.Floor(r.X0)), int(math.Floor(r.Y0)), int(math.Ceil(r.X1)), int(math.Ceil(r.Y1)))).(*ebiten.Image)
}

// drawMeshCaption names the layer and its devices above the plan.
func (g *Game) drawMeshCaption(screen *ebiten.Image, sc *render.Scene, l *photonics.SVDLayer) {
	m := g.regions.Mesh
	n, active := l.NumPhases(), g.layer.active
	blocks := "one SVD block"
	if l.Block > 0 {
		blocks = fmt.Sprintf("%d blocks of %d×%d", l.NumBlocks(), l.Block, l.Block)
	}
	s := fmt.Sprintf("layer %d of %d · %d×%d weights · %s · %d devices, %d active", sc.Layer+1, len(sc.Chip.Layers), l.Out, l.In, blocks, n, active)
	if g.layer.detail == render.DetailTiles {
		s += " · tiles: zoom in for devices"
	}
	drawText(screen, s, g.fonts.small, m.X0+6*g.scale, m.Y0+2*g.scale, render.TextDim, text.AlignStart)
	if g.layer.zoomed {
		drawText(screen, "double-click: fit", g.fonts.small, m.X1-6*g.scale, m.Y0+2*g.scale, render.TextDim, text.AlignEnd)
	}
}

// hasGuide reports whether tile t has a waveguide on row r in segment k: the V* side carries
// InRows waveguides, the U side OutRows.
func (g *Game) hasGuide(t render.Tile, k, r int) bool {
	if k <= t.SigmaColumn {
		return r < t.InRows
	}
	return r < t.OutRows
}

// brightness is the display brightness of light on segment k of row r in tile b (0 for no
// light).
func brightness(light *render.Light, b, k, r int) float64 {
	if light == nil || b >= len(light.Fields) || k >= len(light.Fields[b]) || r >= len(light.Fields[b][k]) {
		return 0
	}
	return render.Brightness(light.Fields[b][k][r], light.Max)
}

func (g *Game) drawLegend(screen *ebiten.Image, sc *render.Scene) {
	r := g.regions.Legend
	if r.Empty() {
		return
	}
	f := g.fonts.small
	y := r.Y0 + 2*g.scale
	h := math.Min(10*g.scale, r.H()-4*g.scale)
	x := r.X0
	drawText(screen, "heater phase (power)", f, x, y-1*g.scale, render.TextDim, text.AlignStart)
	x += textWidth("heater phase (power)", f) + 6*g.scale
	barW := math.Min(120*g.scale, r.W()*0.25)
	g.flat.begin(screen)
	drawText(screen, "0", f, x, y-1*g.scale, render.TextDim, text.AlignStart)
	x += textWidth("0", f) + 3*g.scale
	const steps = 48
	for i := 0; i < steps; i++ {
		g.flat.rect(render.R(x+barW*float64(i)/steps, y, x+barW*float64(i+1)/steps+0.5, y+h), render.Heat((float64(i)+0.5)/steps))
	}
	x += barW + 3*g.scale
	g.flat.flush()
	drawText(screen, "2π", f, x, y-1*g.scale, render.TextDim, text.AlignStart)
	x += textWidth("2π", f) + 14*g.scale
	g.flat.begin(screen)
	g.flat.rect(render.R(x, y, x+h*1.6, y+h), render.Passive)
	g.flat.flush()
	x += h*1.6 + 4*g.scale
	drawText(screen, "passive", f, x, y-1*g.scale, render.TextDim, text.AlignStart)
	x += textWidth("passive", f) + 14*g.scale
	g.flat.begin(screen)
	for i := 0; i < 16; i++ {
		g.flat.rect(render.R(x+float64(i)*h*0.15, y+h/2-1*g.scale, x+float64(i+1)*h*0.15+0.5, y+h/2+1*g.scale), render.LightAt(float64(i+1)/16))
	}
	g.flat.flush()
	x += 16*h*0.15 + 4*g.scale
	drawText(screen, "light", f, x, y-1*g.scale, render.TextDim, text.AlignStart)
	if sc.Crosstalk > 0 {
		x += textWidth("light", f) + 14*g.scale
		g.add.begin(screen)
		g.add.sprite(render.Pt(x+h/2, y+h/2), h*0.9, render.Scale(render.Heat(0.9), 0.5))
		g.add.flush()
		drawText(screen, "crosstalk halo", f, x+h*1.4, y-1*g.scale, render.TextDim, text.AlignStart)
	}
}

func (g *Game) drawCharts(screen *ebiten.Image, sc *render.Scene) {
	ro := sc.Readouts
	var accNote, powNote string
	if len(sc.Runs) > 0 {
		accNote = fmt.Sprintf("deployed %s · best %s", pct(ro.Deployed), pct(ro.Best))
	}
	if ro.FullPower > 0 {
		powNote = fmt.Sprintf("%s below α = 1 · energy %s", pct(ro.Saving()), render.Compact(ro.Energy))
	}
	g.drawChart(screen, g.regions.Accuracy, "test accuracy % / ONN queries", accNote, sc.Runs, func(r render.Run) []float64 { return r.Accuracy }, render.Accent, true)
	g.drawChart(screen, g.regions.Power, "power (rad) / ONN queries", powNote, sc.Runs, func(r render.Run) []float64 { return r.Power }, render.AccentPower, false)
}

func pct(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return fmt.Sprintf("%.1f %%", v)
}

// drawChart draws one chart of a quantity against ONN queries for every run: earlier runs
// faint, the current (last) one bright.
func (g *Game) drawChart(screen *ebiten.Image, r render.Rect, title, note string, runs []render.Run, ys func(render.Run) []float64, col color.RGBA, accuracy bool) {
	g.drawChartIn(screen, r, title, note, runs, ys, col, nil, accuracy)
}

// drawChartColours draws runs side by side in their own colours (a race: no run is
// "current"), each with a marker at its last point.
func (g *Game) drawChartColours(screen *ebiten.Image, r render.Rect, title, note string, runs []render.Run, ys func(render.Run) []float64, colours []color.RGBA, accuracy bool) {
	g.drawChartIn(screen, r, title, note, runs, ys, render.Text, colours, accuracy)
}

// drawChartIn is drawChart with, when colours is not nil, every run bright in its colour.
func (g *Game) drawChartIn(screen *ebiten.Image, r render.Rect, title, note string, runs []render.Run, ys func(render.Run) []float64, col color.RGBA, colours []color.RGBA, accuracy bool) {
	if r.Empty() {
		return
	}
	f := g.fonts.small
	lineH := 13 * g.scale
	drawText(screen, title, f, r.X0, r.Y0, render.Text, text.AlignStart)
	plot := render.R(r.X0+30*g.scale, r.Y0+lineH+4*g.scale, r.X1-4*g.scale, r.Y1-lineH)
	if plot.Empty() {
		return
	}
	var xsAll, ysAll [][]float64
	for _, run := range runs {
		xsAll = append(xsAll, run.Queries)
		ysAll = append(ysAll, ys(run))
	}
	_, xmax := render.Extent(xsAll...)
	if math.IsNaN(xmax) || xmax <= 0 {
		xmax = 1000
	}
	xa, xstep := render.NiceAxis(0, xmax, 4)
	ylo, yhi := render.Extent(ysAll...)
	if accuracy {
		if math.IsNaN(ylo) {
			ylo, yhi = 0, 100
		}
		ylo, yhi = math.Max(0, ylo-2), 100
	} else if math.IsNaN(yhi) {
		ylo, yhi = 0, 1
	} else { // power: zoom in on the curve (the note gives the saving against alpha = 1)
		pad := math.Max(0.05*(yhi-ylo), 0.01*yhi)
		ylo, yhi = math.Max(0, ylo-pad), yhi+pad
	}
	ya, ystep := render.NiceAxis(ylo, yhi, 4)
	if accuracy {
		ya.Max = math.Min(ya.Max, 100)
	}
	c := render.Chart{Plot: plot, X: xa, Y: ya}
	g.flat.begin(screen)
	g.flat.rect(plot, color.RGBA{0x0b, 0x10, 0x17, 0xff})
	for _, t := range ya.Ticks(ystep) {
		p := c.Map(xa.Min, t)
		g.flat.rect(render.R(plot.X0, p.Y-0.5, plot.X1, p.Y+0.5), render.Grid)
	}
	for _, t := range xa.Ticks(xstep) {
		p := c.Map(t, ya.Min)
		g.flat.rect(render.R(p.X-0.5, plot.Y0, p.X+0.5, plot.Y1), render.Grid)
	}
	g.flat.flush()
	for _, t := range ya.Ticks(ystep) {
		p := c.Map(xa.Min, t)
		drawText(screen, render.TickLabel(t), f, plot.X0-4*g.scale, p.Y-6*g.scale, render.TextDim, text.AlignEnd)
	}
	for i, t := range xa.Ticks(xstep) {
		p := c.Map(t, ya.Min)
		align := text.AlignCenter
		if i == 0 {
			align = text.AlignStart
		}
		drawText(screen, render.TickLabel(t), f, p.X, plot.Y1+1*g.scale, render.TextDim, align)
	}
	if note != "" {
		drawText(screen, note, f, plot.X1-4*g.scale, plot.Y0+3*g.scale, col, text.AlignEnd)
	}
	g.flat.begin(g.sub(screen, plot.Inset(-1)))
	for i, run := range runs {
		current := i == len(runs)-1
		cc, w := col, 2*g.scale
		if colours != nil {
			current, cc = true, colours[i]
		} else if !current {
			cc, w = overlayColour(len(runs)-1-i), 1.2*g.scale
		}
		pts := c.Polyline(run.Queries, ys(run))
		for k := 1; k < len(pts); k++ {
			g.flat.line(pts[k-1], pts[k], w, cc)
		}
		if current && len(pts) > 0 {
			q := pts[len(pts)-1]
			g.flat.rect(render.R(q.X-2.5*g.scale, q.Y-2.5*g.scale, q.X+2.5*g.scale, q.Y+2.5*g.scale), cc)
		}
	}
	g.flat.flush()
	if accuracy {
		g.drawKept(screen, c, runs, col, colours)
	}
	// Earlier runs: what each differs in, newest first, at the bottom of the plot.
	if accuracy && len(runs) > 1 && colours == nil {
		cur := runs[len(runs)-1].Label
		y := plot.Y1 - 15*g.scale
		for k := 1; k < len(runs) && k <= 3 && y > plot.Y0+lineH; k++ {
			drawText(screen, "— "+render.RunDiff(runs[len(runs)-1-k].Label, cur), f, plot.X1-4*g.scale, y, overlayColour(k), text.AlignEnd)
			y -= lineH
		}
	}
}

// drawKept marks the kept state (the one the validation split ranks best, which a run
// programs back at its end) on the accuracy chart c: of the current run, the last of runs,
// in col, or with colours (a race) of every run in its colour. A hollow diamond on the
// curve, unlike the filled square of the last point, and its label ("kept 93.4 %").
func (g *Game) drawKept(screen *ebiten.Image, c render.Chart, runs []render.Run, col color.RGBA, colours []color.RGBA) {
	first := 0
	if colours == nil {
		first = max(len(runs)-1, 0) // earlier runs are faint context: their kept states would crowd the chart
	}
	f := g.fonts.small
	marks := c.KeptMarks(runs[first:], func(s string) float64 { return textWidth(s, f) }, 13*g.scale, 4*g.scale)
	if len(marks) == 0 {
		return
	}
	colour := func(m render.KeptMark) color.RGBA {
		if colours != nil {
			return colours[first+m.Run]
		}
		return col
	}
	g.flat.begin(g.sub(screen, c.Plot.Inset(-6*g.scale)))
	for _, m := range marks {
		d, p := 5*g.scale, m.At
		corners := []render.Point{render.Pt(p.X, p.Y-d), render.Pt(p.X+d, p.Y), render.Pt(p.X, p.Y+d), render.Pt(p.X-d, p.Y)}
		for k := range corners {
			g.flat.line(corners[k], corners[(k+1)%4], 1.5*g.scale, colour(m))
		}
	}
	g.flat.flush()
	for _, m := range marks {
		drawText(screen, m.Label, f, m.Box.X0, m.Box.Y0, colour(m), text.AlignStart)
	}
}

// overlayColours tell earlier runs apart on the charts: muted hues, the newest first.
var overlayColours = []color.RGBA{
	{0x9a, 0xa8, 0xc0, 0xff}, {0xb4, 0x8e, 0xad, 0xff}, {0xa3, 0xbe, 0x8c, 0xff},
	{0xd0, 0x87, 0x70, 0xff}, {0x8f, 0xbc, 0xbb, 0xff}, {0xeb, 0xcb, 0x8b, 0xff},
}

// overlayColour is the colour of the k-th earlier run (1 = the newest), faded.
func overlayColour(k int) color.RGBA {
	return render.Mix(render.Background, overlayColours[(k-1+len(overlayColours))%len(overlayColours)], 0.7)
}

func (g *Game) drawSample(screen *ebiten.Image, sc *render.Scene) {
	in, sr := g.regions.Input, g.regions.Scores
	f := g.fonts.small
	if in.Empty() || sc.Sample.X == nil {
		return
	}
	name := func(k int) string {
		if k >= 0 && k < len(sc.ClassNames) {
			return sc.ClassNames[k]
		}
		return fmt.Sprint(k)
	}
	lineH := 13 * g.scale
	drawText(screen, "input", f, in.X0, in.Y0, render.Text, text.AlignStart)
	box := render.R(in.X0, in.Y0+lineH+2*g.scale, in.X1, in.Y1)
	g.flat.begin(screen)
	g.flat.rect(box, color.RGBA{0x0b, 0x10, 0x17, 0xff})
	feature := sc.Sample.Shape[1] == 1 && sc.Sample.Shape[2] == 1
	for _, cell := range render.SampleCells(sc.Sample, box.Inset(3*g.scale)) {
		if feature {
			g.flat.rect(cell.Rect, render.Mix(render.Waveguide, render.LightColor, 0.35+0.65*cell.Value))
		} else {
			g.flat.rect(cell.Rect, render.Mix(color.RGBA{0, 0, 0, 0xff}, color.RGBA{0xff, 0xff, 0xff, 0xff}, cell.Value))
		}
	}
	g.flat.flush()
	if sr.Empty() || len(sc.Scores) == 0 {
		return
	}
	pred := render.Argmax(sc.Scores)
	vc := render.Bad
	if pred == sc.Sample.Label {
		vc = render.Good
	}
	drawText(screen, fmt.Sprintf("chip: %s · label: %s", name(pred), name(sc.Sample.Label)), f, sr.X0, sr.Y0, vc, text.AlignStart)
	rows := len(sc.Scores)
	top := sr.Y0 + lineH + 2*g.scale
	rh := math.Min((sr.Y1-top)/float64(rows), 16*g.scale)
	labelW := 0.0
	for k := range sc.Scores {
		labelW = math.Max(labelW, textWidth(name(k), f))
	}
	labelW = math.Min(labelW+4*g.scale, sr.W()*0.45)
	g.flat.begin(screen)
	for k, p := range sc.Scores {
		y := top + float64(k)*rh
		bar := render.R(sr.X0+labelW, y+rh*0.18, sr.X0+labelW+(sr.W()-labelW)*clamp01(p), y+rh*0.82)
		g.flat.rect(render.R(sr.X0+labelW, y+rh*0.18, sr.X1, y+rh*0.82), color.RGBA{0x10, 0x16, 0x1f, 0xff})
		c := render.Mix(render.Background, render.TextDim, 0.7)
		if k == pred {
			c = vc
		}
		g.flat.rect(bar, c)
	}
	g.flat.flush()
	if rh >= 9*g.scale {
		for k := range sc.Scores {
			c := render.TextDim
			if k == sc.Sample.Label {
				c = render.Text
			}
			drawText(screen, name(k), f, sr.X0+labelW-4*g.scale, top+float64(k)*rh+rh/2-6.5*g.scale, c, text.AlignEnd)
		}
	}
}

func clamp01(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return math.Min(math.Max(v, 0), 1)
}

func (g *Game) drawHeader(screen *ebiten.Image, sc *render.Scene) {
	r := g.regions.Header
	x := r.X0 + 8*g.scale
	y := r.Y0 + 7*g.scale
	drawText(screen, sc.Title, g.fonts.bold, x, y, render.Text, text.AlignStart)
	x += textWidth(sc.Title, g.fonts.bold) + 10*g.scale
	status := sc.Status
	if sc.Note != "" {
		status = sc.Note
	}
	big := ""
	if sc.Ready && len(sc.Runs) > 0 {
		big = fmt.Sprintf("%.1f %%", sc.Readouts.Accuracy)
	}
	right := r.X1 - 44*g.scale // room for the page's panel button
	if big != "" {
		drawText(screen, big, g.fonts.big, right, r.Y0+3*g.scale, render.Accent, text.AlignEnd)
		right -= textWidth(big, g.fonts.big) + 8*g.scale
		q := render.Compact(float64(sc.Readouts.Queries)) + " queries"
		drawText(screen, q, g.fonts.small, right, y+1*g.scale, render.TextDim, text.AlignEnd)
		right -= textWidth(q, g.fonts.small) + 10*g.scale
	}
	if x+textWidth(status, g.fonts.small) < right {
		drawText(screen, status, g.fonts.small, x, y+1*g.scale, render.TextDim, text.AlignStart)
	}
}

// drawTooltip describes the device under the cursor or, zoomed out, its tile.
func (g *Game) drawTooltip(screen *ebiten.Image, sc *render.Scene) {
	g.tooltipShown = false
	lv := &g.layer
	if s := lv.describe(lv.hover, sc.Chip); s != "" {
		g.showTooltip(screen, s)
	}
}

// showTooltip draws s in a box beside the cursor, kept on the screen, and notes it as the
// frame's tooltip (Hover).
func (g *Game) showTooltip(screen *ebiten.Image, s string) {
	g.tooltipShown, g.tooltipText = true, s
	f := g.fonts.small
	w := textWidth(s, f) + 12*g.scale
	x := math.Max(2, math.Min(g.cursor.X+12*g.scale, float64(g.w)-w-2))
	y := g.cursor.Y + 16*g.scale
	if y+18*g.scale > float64(g.h) {
		y = g.cursor.Y - 24*g.scale
	}
	g.flat.begin(screen)
	g.flat.rect(render.R(x, y, x+w, y+18*g.scale), color.RGBA{0x16, 0x1e, 0x2a, 0xf0})
	g.flat.flush()
	drawText(screen, s, f, x+6*g.scale, y+3*g.scale, render.Text, text.AlignStart)
}

// outline draws the border of r onto dst, as the hovered device's (or tile's) frame.
func (g *Game) outline(dst *ebiten.Image, r render.Rect, c color.RGBA) {
	w := 1.2 * g.scale
	g.flat.begin(dst)
	g.flat.rect(render.R(r.X0, r.Y0, r.X1, r.Y0+w), c)
	g.flat.rect(render.R(r.X0, r.Y1-w, r.X1, r.Y1), c)
	g.flat.rect(render.R(r.X0, r.Y0, r.X0+w, r.Y1), c)
	g.flat.rect(render.R(r.X1-w, r.Y0, r.X1, r.Y1), c)
	g.flat.flush()
}

// drawPlaceholder says in area r of dst why there is no plan to draw: the error that
// stopped it, or what is loading.
func (g *Game) drawPlaceholder(dst *ebiten.Image, r render.Rect, loading string, err error) {
	msg := loading
	if err != nil {
		msg = err.Error()
	}
	if msg == "" {
		msg = "loading…"
	}
	drawText(dst, msg, g.fonts.normal, r.Center().X, r.Center().Y, render.TextDim, text.AlignCenter)
}
