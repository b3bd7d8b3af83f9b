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

// Game draws the simulator's scenes with ebiten, as ebiten's examples do: it holds a few
// parts and delegates to them. Update reads the input, lays the screen out and has the view
// the scene shows (one layer, the whole network or a race, each a type with its own update
// and drawing) prepare itself (its plan, zoom, what is in view and under the cursor); Draw
// has the panel's chrome and that view paint what Update prepared, caching pictures on what
// they show. It knows nothing of where scenes come from: the page (wasm/) steps the engine,
// hands each frame's scene to Update and runs Draw.
type Game struct {
	scene *render.Scene // the scene Update prepared, which Draw draws
	laid  screenSize    // the screen the regions and the views were prepared for
	shown shown         // the view Update prepared, the one the scene shows

	paint             // what every view draws with
	chrome chromeView // the header, legend, charts and sample, drawn when they change
	layer  layerView  // one layer's floor plan (mesh_js.go)
	net    netView    // the whole-network view (network_js.go)
	race   raceView   // a race of optimizers (race_js.go)

	caption captionView // booth mode's story over any view (caption_js.go)

	dynamic bool       // the resolution follows the frame rate (SetDynamicResolution)
	res     Resolution // the fraction of the full resolution Layout lays the screen out at
	ratio   float64    // the browser's device pixel ratio, when the page gave it (SetDevicePixelRatio)
}

// paint is what every view draws with and reads: the screen, the batches and fonts, the
// screen's regions, the animation clock, the pointer and the tooltip of the last frame.
type paint struct {
	w, h  int     // screen in pixels
	scale float64 // screen pixels per CSS pixel
	final float64 // the canvas's device pixels per screen pixel: how much ebiten scales the screen up
	full  float64 // pixels of the full resolution per screen pixel (1 at full resolution)

	white, glow *ebiten.Image
	flat, add   *batch
	copier      copier // of a cached picture's parts onto the screen
	fonts       *fonts
	fontScale   float64

	// damage is the part of the screen drawn over in this frame so far (Draw starts it
	// empty): what lies over it, booth mode's caption, is drawn again.
	damage render.Rect

	regions render.Regions // the screen's parts (Update lays them out)
	pointer                // the mouse: drag, double click

	start time.Time
	t     float64 // animation clock, seconds

	tooltipShown bool   // a tooltip was drawn in the last frame
	tooltipText  string // and what it said (Hover)
}

// damaged notes that r of the screen was drawn over in this frame.
func (pa *paint) damaged(r render.Rect) { pa.damage = pa.damage.Union(r) }

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
	*paint
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

// chromeView is the panel's chrome: the picture of everything but the mesh, redrawn only
// when what it shows changes.
type chromeView struct {
	*paint
	img        *ebiten.Image
	kind       string // what the picture shows, in kind
	figures    string // and its figures
	at         float64
	lastScreen *ebiten.Image
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
	g := &Game{paint: paint{scale: 1, final: 1, full: 1, start: time.Now()}}
	g.chrome.paint, g.layer.paint, g.net.paint, g.race.paint, g.caption.paint = &g.paint, &g.paint, &g.paint, &g.paint, &g.paint
	g.layer.hover, g.net.hover, g.race.hover = noHit, [2]int{-1, -1}, laneHit{-1, noHit}
	g.white = whiteImage()
	g.glow = glowImage(48)
	g.flat = newBatch(g.white, ebiten.BlendSourceOver)
	g.add = newBatch(g.glow, ebiten.BlendLighter)
	return g
}

// Layout uses the full device resolution of the page area (up to 2 device pixels per CSS
// pixel), so lines stay crisp; with a dynamic resolution, the fraction of it that the frame
// rate allows (Resolution, ScreenScale). Drawing, the regions and the cursor are all in the screen's
// pixels, whatever their number: ebiten scales the screen to the canvas and the cursor back.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	d := ebiten.Monitor().DeviceScaleFactor()
	s := ScreenScale(d, g.res.Fraction())
	g.scale = s
	ratio := g.ratio
	if ratio <= 0 {
		ratio = d
	}
	g.full = ScreenScale(ratio, 1) / s
	g.w, g.h = max(1, int(math.Ceil(float64(outsideWidth)*s))), max(1, int(math.Ceil(float64(outsideHeight)*s)))
	// As ebiten scales the screen to the canvas: to fit, keeping its aspect.
	g.final = math.Min(float64(outsideWidth)*d/float64(g.w), float64(outsideHeight)*d/float64(g.h))
	return g.w, g.h
}

// SetDynamicResolution lets the game lay its screen out at fewer pixels while frames come
// slowly, and at the full resolution again once they come fast (Resolution): only the
// sharpness changes. The page turns it on; a game's tests draw at the full resolution.
func (g *Game) SetDynamicResolution(on bool) { g.dynamic = on }

// SetDevicePixelRatio gives the browser's device pixel ratio, when the page has ebiten
// make the canvas with fewer pixels than that: the full resolution, at which the views
// decide their level of detail, is the browser's.
func (g *Game) SetDevicePixelRatio(r float64) { g.ratio = r }

// Screen is the size of the screen the game draws, in its pixels.
func (g *Game) Screen() (w, h int) { return g.w, g.h }

// DrawFinalScreen draws the game's screen onto the canvas (ebiten.FinalScreenDrawer):
// scaled as ebiten would, smoothly when it is scaled at all, and copied without blending
// (the screen is opaque); then booth mode's QR code at the canvas's own resolution, so a
// phone reads it at any resolution of the screen.
func (g *Game) DrawFinalScreen(screen ebiten.FinalScreen, offscreen *ebiten.Image, geoM ebiten.GeoM) {
	g.drawFinal(screen, offscreen, geoM)
}

// imageDrawer is what DrawFinalScreen draws on: ebiten's final screen, or an image in tests.
type imageDrawer interface {
	DrawImage(img *ebiten.Image, options *ebiten.DrawImageOptions)
}

// drawFinal is DrawFinalScreen onto dst.
func (g *Game) drawFinal(dst imageDrawer, offscreen *ebiten.Image, geoM ebiten.GeoM) {
	op := &ebiten.DrawImageOptions{GeoM: geoM, Blend: ebiten.BlendCopy}
	if geoM.Element(0, 0) != 1 || geoM.Element(1, 1) != 1 {
		op.Filter = ebiten.FilterLinear
	}
	dst.DrawImage(offscreen, op)
	g.caption.drawFinal(dst, geoM)
}

// Update handles the mouse and the keys over the view shown (the wheel zooms at the cursor,
// a drag pans, a double click or F fits) and prepares the view of scene sc, which the next
// Draw draws (sc must stay unchanged until then).
func (g *Game) Update(sc *render.Scene) { g.update(readInput(), sc) }

// update is Update with this tick's input.
func (g *Game) update(in input, sc *render.Scene) {
	g.t = in.at.Sub(g.start).Seconds()
	g.cursor = in.cursor
	if g.dynamic && sc != nil && sc.Ready {
		g.res.Frame(in.at) // the next Layout follows it
	} else {
		g.res.Skip() // loading: slow frames that say nothing of the renderer
	}
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
	g.race.update(sc)
	switch g.shown {
	case shownLayer:
		g.layer.update(sc)
	case shownNetwork:
		g.net.update(sc)
	}
}

// prepareLayer plans the scene's layer for the mesh area (the kept plan unless the chip,
// the layer or the area's shape changed), fits the zoom, finds the tiles and devices in view
// at the zoom's level of detail (zoomed out, the tiles' shades) and the tile and device
// under the cursor, takes the scene's light (computed by the engine) when it fits the plan,
// and counts the active devices for the caption.
func (lv *layerView) update(sc *render.Scene) {
	lv.hover, lv.light = noHit, nil
	lv.replan(sc.Chip, sc.Layer, planAspect(lv.regions.Mesh))
	if lv.plan == nil {
		lv.cull(render.Transform{}, render.Rect{}, lv.full)
		return
	}
	area := lv.planArea()
	lv.show(lv.plan.Bounds, area, 4*lv.scale, lv.maxScale())
	// Halos glow past their devices, and tiles past their edges: those just outside are drawn too.
	lv.cull(lv.view, area.Inset(-haloRadius(lv.view.Scale)), lv.full)
	if sc.Light != nil && len(sc.Light.Fields) == len(lv.plan.Tiles) {
		lv.light = sc.Light
	}
	lv.shade(sc.Chip, lv.light, sc.Version, lv.t, lightRate)
	if area.Contains(lv.cursor) && !lv.dragging {
		lv.hover = lv.hitAt(lv.view.Invert(lv.cursor))
	}
	if key := (activeKey{sc.Chip, sc.Chip.ID, sc.Chip.Layer, sc.Version}); key != lv.activeFor {
		lv.active, lv.activeFor = sc.Chip.Active, key
	}
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
func (pa *paint) maxScale() float64 { return 40 * pa.scale }

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
	g.damage = render.Rect{}
	if b := screen.Bounds(); sc == nil || g.shown != shownBy(sc) || g.laid != (screenSize{b.Dx(), b.Dy(), g.scale}) {
		screen.Fill(render.Background)
		g.chrome.lastScreen, g.race.screen, g.net.pic.screen, g.caption.screen = nil, nil, nil, nil // copy the cached pictures again
		return
	}
	if g.caption.drawn && sc.Caption.Headline == "" {
		g.chrome.lastScreen, g.race.screen, g.net.pic.screen = nil, nil, nil // the band covered their pictures: copy them again
	}
	g.drawView(screen, sc)
	g.caption.draw(screen, sc.Caption)
}

// drawView draws the view shown, every pixel of the screen.
func (g *Game) drawView(screen *ebiten.Image, sc *render.Scene) {
	if g.shown == shownRace {
		g.chrome.kind = "" // the single run's picture is redrawn whole when the race closes
		g.race.draw(screen, sc)
		return
	}
	g.race.screen = nil                                                  // a race drawn later copies its picture again
	fresh := g.chrome.draw(screen, sc, &g.layer, g.shown, g.shownZoom()) // every pixel: the background and all around the mesh
	if g.shown == shownNetwork {
		g.net.draw(screen, sc, fresh)
		g.net.tooltip(screen, sc)
		return
	}
	g.net.pic.screen = nil // the network view shown later copies its picture whole
	g.layer.draw(screen, sc)
	g.layer.tooltip(screen, sc)
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
// while only figures move. It reports whether it copied the image over the mesh area.
//
// lv is the layer view, whose caption the chrome holds, shown the view shown and z its zoom.
func (cv *chromeView) draw(screen *ebiten.Image, sc *render.Scene, lv *layerView, shown shown, z *zoom) bool {
	// What the chrome shows changes in kind (redraw now) or in figures (redraw at most at
	// chromeRate); when neither changed, the cached image is reused.
	kind := fmt.Sprintf("%dx%d|%s|%s|%s|%s|%d|%d|%v|%d|%v|%s|%v", cv.w, cv.h, sc.Title, sc.Status, sc.Note, sc.LoadingText, len(sc.Runs), sc.Layer, sc.Ready, lv.plans.key.chip, z.zoomed, sc.View, lv.detail)
	figures := fmt.Sprintf("%d|%d|%d", sc.Version, sc.Readouts.Queries, sc.Sample.Label)
	if n := len(sc.Runs); n > 0 {
		figures += fmt.Sprintf("|%d", len(sc.Runs[n-1].Queries))
	}
	if cv.img == nil || cv.img.Bounds().Dx() != cv.w || cv.img.Bounds().Dy() != cv.h {
		if cv.img != nil {
			cv.img.Deallocate()
		}
		cv.img = ebiten.NewImage(cv.w, cv.h)
		cv.kind = ""
	}
	redraw := kind != cv.kind || (figures != cv.figures && cv.t-cv.at >= 1.0/chromeRate)
	if redraw {
		cv.img.Fill(render.Background)
		if shown == shownLayer && lv.shows(sc.Chip, sc.Layer) {
			lv.caption(cv.img, sc, sc.Chip.Layers[sc.Layer])
		}
		cv.drawLegend(cv.img, sc)
		cv.drawCharts(cv.img, sc)
		cv.drawSample(cv.img, sc)
		cv.drawHeader(cv.img, sc)
		cv.kind, cv.figures, cv.at = kind, figures, cv.t
	}
	// The screen keeps its pixels between frames (main sets SetScreenClearedEveryFrame
	// false): the chrome is copied only when it changed, onto a new screen, over last
	// frame's tooltip, or around the loading text; the layer view redraws its part of the
	// mesh area every frame. The network view covers the whole mesh area, loading or not,
	// from a picture of its own that it copies only where it changed: when only the chrome
	// did, the chrome is copied around the mesh area, not over it.
	meshDrawn := lv.plan != nil || shown == shownNetwork
	whole := screen != cv.lastScreen || cv.tooltipShown || !meshDrawn || (redraw && shown != shownNetwork)
	cv.lastScreen = screen
	switch {
	case whole:
		screen.DrawImage(cv.img, &ebiten.DrawImageOptions{Blend: ebiten.BlendCopy})
		cv.damaged(render.R(0, 0, float64(cv.w), float64(cv.h)))
	case redraw:
		m := cv.regions.Mesh
		cv.copier.begin(screen, cv.img)
		for _, r := range []render.Rect{render.R(0, 0, float64(cv.w), math.Floor(m.Y0)), render.R(0, math.Ceil(m.Y1), float64(cv.w), float64(cv.h))} {
			cv.copier.copyRect(r)
			cv.damaged(r)
		}
		cv.copier.flush()
	}
	return whole
}

// planArea is the mesh region below its caption line.
func (pa *paint) planArea() render.Rect {
	m := pa.regions.Mesh
	return render.R(m.X0, m.Y0+16*pa.scale, m.X1, m.Y1)
}

func (pa *paint) sub(dst *ebiten.Image, r render.Rect) *ebiten.Image {
	return dst.SubImage(image.Rect(int(math.Floor(r.X0)), int(math.Floor(r.Y0)), int(math.Ceil(r.X1)), int(math.Ceil(r.Y1)))).(*ebiten.Image)
}

// drawMeshCaption names the layer and its devices above the plan.
func (lv *layerView) caption(screen *ebiten.Image, sc *render.Scene, l *photonics.SVDLayer) {
	m := lv.regions.Mesh
	n, active := l.NumPhases(), lv.active
	blocks := "one SVD block"
	if l.Block > 0 {
		blocks = fmt.Sprintf("%d blocks of %d×%d", l.NumBlocks(), l.Block, l.Block)
	}
	s := fmt.Sprintf("layer %d of %d · %d×%d weights · %s · %d devices, %d active", sc.Layer+1, len(sc.Chip.Layers), l.Out, l.In, blocks, n, active)
	if lv.detail == render.DetailTiles {
		s += " · tiles: zoom in for devices"
	}
	drawText(screen, s, lv.fonts.small, m.X0+6*lv.scale, m.Y0+2*lv.scale, render.TextDim, text.AlignStart)
	if lv.zoomed {
		drawText(screen, "double-click: fit", lv.fonts.small, m.X1-6*lv.scale, m.Y0+2*lv.scale, render.TextDim, text.AlignEnd)
	}
}

// hasGuide reports whether tile t has a waveguide on row r in segment k: the V* side carries
// InRows waveguides, the U side OutRows.
func (pa *paint) hasGuide(t render.Tile, k, r int) bool {
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

func (cv *chromeView) drawLegend(screen *ebiten.Image, sc *render.Scene) {
	r := cv.regions.Legend
	if r.Empty() {
		return
	}
	f := cv.fonts.small
	y := r.Y0 + 2*cv.scale
	h := math.Min(10*cv.scale, r.H()-4*cv.scale)
	x := r.X0
	drawText(screen, "heater phase (power)", f, x, y-1*cv.scale, render.TextDim, text.AlignStart)
	x += textWidth("heater phase (power)", f) + 6*cv.scale
	barW := math.Min(120*cv.scale, r.W()*0.25)
	cv.flat.begin(screen)
	drawText(screen, "0", f, x, y-1*cv.scale, render.TextDim, text.AlignStart)
	x += textWidth("0", f) + 3*cv.scale
	const steps = 48
	for i := 0; i < steps; i++ {
		cv.flat.rect(render.R(x+barW*float64(i)/steps, y, x+barW*float64(i+1)/steps+0.5, y+h), render.Heat((float64(i)+0.5)/steps))
	}
	x += barW + 3*cv.scale
	cv.flat.flush()
	drawText(screen, "2π", f, x, y-1*cv.scale, render.TextDim, text.AlignStart)
	x += textWidth("2π", f) + 14*cv.scale
	cv.flat.begin(screen)
	cv.flat.rect(render.R(x, y, x+h*1.6, y+h), render.Passive)
	cv.flat.flush()
	x += h*1.6 + 4*cv.scale
	drawText(screen, "passive", f, x, y-1*cv.scale, render.TextDim, text.AlignStart)
	x += textWidth("passive", f) + 14*cv.scale
	cv.flat.begin(screen)
	for i := 0; i < 16; i++ {
		cv.flat.rect(render.R(x+float64(i)*h*0.15, y+h/2-1*cv.scale, x+float64(i+1)*h*0.15+0.5, y+h/2+1*cv.scale), render.LightAt(float64(i+1)/16))
	}
	cv.flat.flush()
	x += 16*h*0.15 + 4*cv.scale
	drawText(screen, "light", f, x, y-1*cv.scale, render.TextDim, text.AlignStart)
	if sc.Crosstalk > 0 {
		x += textWidth("light", f) + 14*cv.scale
		cv.add.begin(screen)
		cv.add.sprite(render.Pt(x+h/2, y+h/2), h*0.9, render.Scale(render.Heat(0.9), 0.5))
		cv.add.flush()
		drawText(screen, "crosstalk halo", f, x+h*1.4, y-1*cv.scale, render.TextDim, text.AlignStart)
	}
}

func (cv *chromeView) drawCharts(screen *ebiten.Image, sc *render.Scene) {
	ro := sc.Readouts
	var accNote, powNote string
	if len(sc.Runs) > 0 {
		accNote = fmt.Sprintf("deployed %s · best %s", pct(ro.Deployed), pct(ro.Best))
	}
	if ro.FullPower > 0 {
		powNote = fmt.Sprintf("%s below α = 1 · energy %s", pct(ro.Saving()), render.Compact(ro.Energy))
	}
	cv.drawChart(screen, cv.regions.Accuracy, "test accuracy % / ONN queries", accNote, sc.Runs, func(r render.Run) []float64 { return r.Accuracy }, render.Accent, true)
	cv.drawChart(screen, cv.regions.Power, "power (rad) / ONN queries", powNote, sc.Runs, func(r render.Run) []float64 { return r.Power }, render.AccentPower, false)
}

func pct(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return fmt.Sprintf("%.1f %%", v)
}

// drawChart draws one chart of a quantity against ONN queries for every run: earlier runs
// faint, the current (last) one bright.
func (pa *paint) drawChart(screen *ebiten.Image, r render.Rect, title, note string, runs []render.Run, ys func(render.Run) []float64, col color.RGBA, accuracy bool) {
	pa.drawChartIn(screen, r, title, note, runs, ys, col, nil, accuracy)
}

// drawChartColours draws runs side by side in their own colours (a race: no run is
// "current"), each with a marker at its last point.
func (pa *paint) drawChartColours(screen *ebiten.Image, r render.Rect, title, note string, runs []render.Run, ys func(render.Run) []float64, colours []color.RGBA, accuracy bool) {
	pa.drawChartIn(screen, r, title, note, runs, ys, render.Text, colours, accuracy)
}

// drawChartIn is drawChart with, when colours is not nil, every run bright in its colour.
func (pa *paint) drawChartIn(screen *ebiten.Image, r render.Rect, title, note string, runs []render.Run, ys func(render.Run) []float64, col color.RGBA, colours []color.RGBA, accuracy bool) {
	if r.Empty() {
		return
	}
	f := pa.fonts.small
	lineH := 13 * pa.scale
	drawText(screen, title, f, r.X0, r.Y0, render.Text, text.AlignStart)
	plot := render.R(r.X0+30*pa.scale, r.Y0+lineH+4*pa.scale, r.X1-4*pa.scale, r.Y1-lineH)
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
	pa.flat.begin(screen)
	pa.flat.rect(plot, color.RGBA{0x0b, 0x10, 0x17, 0xff})
	for _, t := range ya.Ticks(ystep) {
		p := c.Map(xa.Min, t)
		pa.flat.rect(render.R(plot.X0, p.Y-0.5, plot.X1, p.Y+0.5), render.Grid)
	}
	for _, t := range xa.Ticks(xstep) {
		p := c.Map(t, ya.Min)
		pa.flat.rect(render.R(p.X-0.5, plot.Y0, p.X+0.5, plot.Y1), render.Grid)
	}
	pa.flat.flush()
	for _, t := range ya.Ticks(ystep) {
		p := c.Map(xa.Min, t)
		drawText(screen, render.TickLabel(t), f, plot.X0-4*pa.scale, p.Y-6*pa.scale, render.TextDim, text.AlignEnd)
	}
	for i, t := range xa.Ticks(xstep) {
		p := c.Map(t, ya.Min)
		align := text.AlignCenter
		if i == 0 {
			align = text.AlignStart
		}
		drawText(screen, render.TickLabel(t), f, p.X, plot.Y1+1*pa.scale, render.TextDim, align)
	}
	if note != "" {
		drawText(screen, note, f, plot.X1-4*pa.scale, plot.Y0+3*pa.scale, col, text.AlignEnd)
	}
	pa.flat.begin(pa.sub(screen, plot.Inset(-1)))
	for i, run := range runs {
		current := i == len(runs)-1
		cc, w := col, 2*pa.scale
		if colours != nil {
			current, cc = true, colours[i]
		} else if !current {
			cc, w = overlayColour(len(runs)-1-i), 1.2*pa.scale
		}
		pts := c.Polyline(run.Queries, ys(run))
		for k := 1; k < len(pts); k++ {
			pa.flat.line(pts[k-1], pts[k], w, cc)
		}
		if current && len(pts) > 0 {
			q := pts[len(pts)-1]
			pa.flat.rect(render.R(q.X-2.5*pa.scale, q.Y-2.5*pa.scale, q.X+2.5*pa.scale, q.Y+2.5*pa.scale), cc)
		}
	}
	pa.flat.flush()
	if accuracy {
		pa.drawKept(screen, c, runs, col, colours)
	}
	// Earlier runs: what each differs in, newest first, at the bottom of the plot.
	if accuracy && len(runs) > 1 && colours == nil {
		cur := runs[len(runs)-1].Label
		y := plot.Y1 - 15*pa.scale
		for k := 1; k < len(runs) && k <= 3 && y > plot.Y0+lineH; k++ {
			drawText(screen, "— "+render.RunDiff(runs[len(runs)-1-k].Label, cur), f, plot.X1-4*pa.scale, y, overlayColour(k), text.AlignEnd)
			y -= lineH
		}
	}
}

// drawKept marks the kept state (the one the validation split ranks best, which a run
// programs back at its end) on the accuracy chart c: of the current run, the last of runs,
// in col, or with colours (a race) of every run in its colour. A hollow diamond on the
// curve, unlike the filled square of the last point, and its label ("kept 93.4 %").
func (pa *paint) drawKept(screen *ebiten.Image, c render.Chart, runs []render.Run, col color.RGBA, colours []color.RGBA) {
	first := 0
	if colours == nil {
		first = max(len(runs)-1, 0) // earlier runs are faint context: their kept states would crowd the chart
	}
	f := pa.fonts.small
	marks := c.KeptMarks(runs[first:], func(s string) float64 { return textWidth(s, f) }, 13*pa.scale, 4*pa.scale)
	if len(marks) == 0 {
		return
	}
	colour := func(m render.KeptMark) color.RGBA {
		if colours != nil {
			return colours[first+m.Run]
		}
		return col
	}
	pa.flat.begin(pa.sub(screen, c.Plot.Inset(-6*pa.scale)))
	for _, m := range marks {
		d, p := 5*pa.scale, m.At
		corners := []render.Point{render.Pt(p.X, p.Y-d), render.Pt(p.X+d, p.Y), render.Pt(p.X, p.Y+d), render.Pt(p.X-d, p.Y)}
		for k := range corners {
			pa.flat.line(corners[k], corners[(k+1)%4], 1.5*pa.scale, colour(m))
		}
	}
	pa.flat.flush()
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

func (cv *chromeView) drawSample(screen *ebiten.Image, sc *render.Scene) {
	in, sr := cv.regions.Input, cv.regions.Scores
	f := cv.fonts.small
	if in.Empty() || sc.Sample.X == nil {
		return
	}
	name := func(k int) string {
		if k >= 0 && k < len(sc.ClassNames) {
			return sc.ClassNames[k]
		}
		return fmt.Sprint(k)
	}
	lineH := 13 * cv.scale
	drawText(screen, "input", f, in.X0, in.Y0, render.Text, text.AlignStart)
	box := render.R(in.X0, in.Y0+lineH+2*cv.scale, in.X1, in.Y1)
	cv.flat.begin(screen)
	cv.flat.rect(box, color.RGBA{0x0b, 0x10, 0x17, 0xff})
	feature := sc.Sample.Shape[1] == 1 && sc.Sample.Shape[2] == 1
	for _, cell := range render.SampleCells(sc.Sample, box.Inset(3*cv.scale)) {
		if feature {
			cv.flat.rect(cell.Rect, render.Mix(render.Waveguide, render.LightColor, 0.35+0.65*cell.Value))
		} else {
			cv.flat.rect(cell.Rect, render.Mix(color.RGBA{0, 0, 0, 0xff}, color.RGBA{0xff, 0xff, 0xff, 0xff}, cell.Value))
		}
	}
	cv.flat.flush()
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
	top := sr.Y0 + lineH + 2*cv.scale
	rh := math.Min((sr.Y1-top)/float64(rows), 16*cv.scale)
	labelW := 0.0
	for k := range sc.Scores {
		labelW = math.Max(labelW, textWidth(name(k), f))
	}
	labelW = math.Min(labelW+4*cv.scale, sr.W()*0.45)
	cv.flat.begin(screen)
	for k, p := range sc.Scores {
		y := top + float64(k)*rh
		bar := render.R(sr.X0+labelW, y+rh*0.18, sr.X0+labelW+(sr.W()-labelW)*clamp01(p), y+rh*0.82)
		cv.flat.rect(render.R(sr.X0+labelW, y+rh*0.18, sr.X1, y+rh*0.82), color.RGBA{0x10, 0x16, 0x1f, 0xff})
		c := render.Mix(render.Background, render.TextDim, 0.7)
		if k == pred {
			c = vc
		}
		cv.flat.rect(bar, c)
	}
	cv.flat.flush()
	if rh >= 9*cv.scale {
		for k := range sc.Scores {
			c := render.TextDim
			if k == sc.Sample.Label {
				c = render.Text
			}
			drawText(screen, name(k), f, sr.X0+labelW-4*cv.scale, top+float64(k)*rh+rh/2-6.5*cv.scale, c, text.AlignEnd)
		}
	}
}

func clamp01(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return math.Min(math.Max(v, 0), 1)
}

func (pa *paint) drawHeader(screen *ebiten.Image, sc *render.Scene) {
	r := pa.regions.Header
	x := r.X0 + 8*pa.scale
	y := r.Y0 + 7*pa.scale
	drawText(screen, sc.Title, pa.fonts.bold, x, y, render.Text, text.AlignStart)
	x += textWidth(sc.Title, pa.fonts.bold) + 10*pa.scale
	status := sc.Status
	if sc.Note != "" {
		status = sc.Note
	}
	big := ""
	if sc.Ready && len(sc.Runs) > 0 {
		big = fmt.Sprintf("%.1f %%", sc.Readouts.Accuracy)
	}
	right := r.X1 - 44*pa.scale // room for the page's panel button
	if big != "" {
		drawText(screen, big, pa.fonts.big, right, r.Y0+3*pa.scale, render.Accent, text.AlignEnd)
		right -= textWidth(big, pa.fonts.big) + 8*pa.scale
		q := render.Compact(float64(sc.Readouts.Queries)) + " queries"
		drawText(screen, q, pa.fonts.small, right, y+1*pa.scale, render.TextDim, text.AlignEnd)
		right -= textWidth(q, pa.fonts.small) + 10*pa.scale
	}
	if x+textWidth(status, pa.fonts.small) < right {
		drawText(screen, status, pa.fonts.small, x, y+1*pa.scale, render.TextDim, text.AlignStart)
	}
}

// drawTooltip describes the device under the cursor or, zoomed out, its tile.
func (lv *layerView) tooltip(screen *ebiten.Image, sc *render.Scene) {
	lv.tooltipShown = false
	if s := lv.describe(lv.hover, sc.Chip); s != "" {
		lv.showTooltip(screen, s)
	}
}

// showTooltip draws s in a box beside the cursor, kept on the screen, and notes it as the
// frame's tooltip (Hover).
func (pa *paint) showTooltip(screen *ebiten.Image, s string) {
	pa.tooltipShown, pa.tooltipText = true, s
	f := pa.fonts.small
	w := textWidth(s, f) + 12*pa.scale
	x := math.Max(2, math.Min(pa.cursor.X+12*pa.scale, float64(pa.w)-w-2))
	y := pa.cursor.Y + 16*pa.scale
	if y+18*pa.scale > float64(pa.h) {
		y = pa.cursor.Y - 24*pa.scale
	}
	pa.flat.begin(screen)
	pa.flat.rect(render.R(x, y, x+w, y+18*pa.scale), color.RGBA{0x16, 0x1e, 0x2a, 0xf0})
	pa.flat.flush()
	pa.damaged(render.R(x, y, x+w, y+18*pa.scale))
	drawText(screen, s, f, x+6*pa.scale, y+3*pa.scale, render.Text, text.AlignStart)
}

// outline draws the border of r onto dst, as the hovered device's (or tile's) frame.
func (pa *paint) outline(dst *ebiten.Image, r render.Rect, c color.RGBA) {
	w := 1.2 * pa.scale
	pa.flat.begin(dst)
	pa.flat.rect(render.R(r.X0, r.Y0, r.X1, r.Y0+w), c)
	pa.flat.rect(render.R(r.X0, r.Y1-w, r.X1, r.Y1), c)
	pa.flat.rect(render.R(r.X0, r.Y0, r.X0+w, r.Y1), c)
	pa.flat.rect(render.R(r.X1-w, r.Y0, r.X1, r.Y1), c)
	pa.flat.flush()
}

// drawPlaceholder says in area r of dst why there is no plan to draw: the error that
// stopped it, or what is loading.
func (pa *paint) drawPlaceholder(dst *ebiten.Image, r render.Rect, loading string, err error) {
	msg := loading
	if err != nil {
		msg = err.Error()
	}
	if msg == "" {
		msg = "loading…"
	}
	drawText(dst, msg, pa.fonts.normal, r.Center().X, r.Center().Y, render.TextDim, text.AlignCenter)
}
