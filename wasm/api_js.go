package main

import (
	"fmt"
	"reflect"
	"strings"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/render/canvas"
	"github.com/meshlight/meshlight/wasm/internal/gomem"
)

// installAPI defines window.meshlight, the page-level API for the page's controls, tests
// and embedding, and announces it with a "meshlight:api" event on document:
//
//	stats()        {engine ("worker": where the simulation runs), commandMs (the last
//	                command's time to the engine and back), ready, model,
//	                optimizer, queries, accuracy, deployedAccuracy, idealAccuracy,
//	                bestAccuracy, kept, keptQueries, keptAccuracy, keptValid (the
//	                state of best validation accuracy, which the chart marks and the
//	                run programs back at its end; kept false, keptQueries -1 and the
//	                accuracies NaN while there is none), power, energy, fps, tps, drawMs, updateMs,
//	                gameUpdateMs (the Go time of a frame's parts, smoothed, ms: Draw,
//	                the page's own Update, and all of ebiten's Update, which holds it
//	                and the view's preparing), timeTotals ({updates, gameUpdateMs,
//	                updateMs, draws, drawMs}: the same summed since the page started,
//	                for means over a window), running, error, chip,
//	                chipEdited, gammaStd, relativeDrift, vpi, crosstalk, bits, heatAll,
//	                step, driftText, crosstalkText, controlText, hover (the
//	                canvas's tooltip), zoom (how far the mesh area is zoomed in, 1
//	                when fitted; in a race, every lane's), networkItems (tiles and
//	                devices the network view drew last frame), screen (the size the
//	                canvas's picture is drawn at, "WxH": fewer pixels than the canvas's
//	                while frames are slow, canvas.Resolution; half the canvas's CSS
//	                pixels each way with a software renderer), renderer (the WebGL
//	                renderer's name), caption (booth mode's
//	                story as the canvas draws it, {headline, detail, link}, else
//	                null), race (with a race
//	                open, else null):
//	                {optimizers, racers: [{optimizer, ready, running, queries,
//	                accuracy, bestAccuracy, deployedAccuracy, power, energy,
//	                queriesPerSecond, evaluations, points, seed, colour, standing,
//	                error, title, modelFile, phases, kept, keptQueries, keptAccuracy,
//	                keptValid}], leader (an optimizer, "" while
//	                none), leaderIndex, budget, rule, booth, note}, ...}; with a race
//	                open, the model (model, modelFile, title, phases), queries,
//	                accuracy and the other run figures are the leader's (the first
//	                racer's while there is none), ready and running the race's,
//	                queriesPerSecond the racers' sum, and error every engine's
//	                messages, one that every racer has once
//	set(params)    change settings, e.g. set({alpha: 0.1, optimizer: "stp"}) or
//	               set({chip: "strong", bits: 6}); returns a promise of {ok, errors:
//	               [...]}, resolved once the engine has applied them (settings() then
//	               shows them); bad values keep their old setting
//	start(), pause(), reset(), step(), redeploy()
//	settings()     the current settings by URL parameter name (model, optimizer, chip,
//	               gamma-std, vpi, crosstalk, bits, heat-all, alpha, s, p, lr, seed,
//	               speed, layer, compare, booth, view, run, race): strings in their URL form,
//	               booleans as booleans
//	options()      the choices of the model, optimizer, chip, layer and view selectors:
//	               {value, label, about} (about: a line on an optimizer, train.About)
//	query()        the URL query of the current settings
//	curve()        the current run's curve: {label, queries, accuracy, power, valid (the
//	               validation accuracy at each point, NaN without a split), kept (the index
//	               of the kept point, -1 when none)}
//	clearErrors()  drop the messages shown in the page
//	loadFile(file) load a model file (a File, dropped or chosen): checks its name and
//	               size at once ({ok, errors}), then the engine reads it like a model of
//	               the site (during a race every racer's engine and the held single
//	               run's); stats().modelFile names it (the address cannot hold it)
//	raceCurve(i)   racer i's curve: {optimizer, label, queries, accuracy, power, valid,
//	               kept}, or null
//	raceMemory()   a promise of every racer engine's heap figures (as memory()), [] with no race
//	curveCSV()     a promise of the run's curve as CSV text, in the format of onchip's -csv
//	               and make reproduce's curves (train.WriteCSV; "" before a deployment)
//	raceCurveCSV(i) the same of racer i, null when there is none
//	memory()       a promise of the engine's Go heap: {heapAlloc (live bytes, after a
//	               runtime.GC), heapAllocBefore (bytes before that GC), heapSys,
//	               heapInuse, heapIdle, heapReleased, sys, nextGC, numGC, pauseTotalMs,
//	               wasmMemory (the worker's WebAssembly memory), page (the same
//	               figures of this page's Go)}; it forces collections, so call it only
//	               when asked (the soak test calls it every 30 s), not per frame
//
// Commands and settings go to the engine in the worker and take effect there within a
// training slice; the engine alone checks settings (the page links none of its code), so
// set() answers when the engine has, and settings() shows what the engine applied.
func installAPI(p *page, game *canvas.Game) {
	fn := func(f func(args []js.Value) any) js.Func {
		return js.FuncOf(func(_ js.Value, args []js.Value) any { return f(args) })
	}
	api := map[string]any{
		"stats": fn(func([]js.Value) any {
			m := toMap(p.Stats())
			m["engine"] = "worker"
			m["commandMs"] = p.commandTime() // the last command's round trip to the engine
			m["fps"] = ebiten.ActualFPS()
			m["tps"] = ebiten.ActualTPS()
			m["drawMs"], m["updateMs"], m["gameUpdateMs"] = p.draw.smoothed, p.update.smoothed, p.gameUpdate.smoothed
			m["timeTotals"] = map[string]any{"updates": p.gameUpdate.calls, "gameUpdateMs": p.gameUpdate.totalMS,
				"updateMs": p.update.totalMS, "draws": p.draw.calls, "drawMs": p.draw.totalMS}
			// what the canvas shows under the cursor, and how much it draws
			m["hover"], m["zoom"], m["networkItems"] = game.Hover(), game.Zoom(), game.NetworkItems()
			w, h := game.Screen() // the pixels it draws, fewer than the canvas's while frames are slow
			m["screen"] = fmt.Sprintf("%dx%d", w, h)
			m["renderer"] = renderer
			m["race"] = nil
			if p.race != nil {
				m["race"] = p.race.api()
			}
			m["caption"] = nil // booth mode's story, as the canvas draws it
			if c := p.shown.Caption; c.Headline != "" {
				m["caption"] = map[string]any{"headline": c.Headline, "detail": c.Detail, "link": c.Link}
			}
			return m
		}),
		"set": fn(func(args []js.Value) any {
			if len(args) != 1 || args[0].Type() != js.TypeObject {
				return map[string]any{"ok": false, "errors": []any{"set takes one object, e.g. set({alpha: 0.1})"}}
			}
			params := map[string]string{}
			keys := js.Global().Get("Object").Call("keys", args[0])
			for i := 0; i < keys.Length(); i++ {
				k := keys.Index(i).String()
				params[k] = jsString(args[0].Get(k))
			}
			var exec js.Func
			exec = js.FuncOf(func(_ js.Value, args []js.Value) any {
				resolve := args[0]
				exec.Release()
				p.Set(params, func(errs []string) {
					out := make([]any, len(errs))
					for i, e := range errs {
						out[i] = e
					}
					resolve.Invoke(map[string]any{"ok": len(errs) == 0, "errors": out})
				})
				return nil
			})
			return js.Global().Get("Promise").New(exec)
		}),
		"start":       fn(func([]js.Value) any { p.send("start", nil); return nil }),
		"pause":       fn(func([]js.Value) any { p.send("pause", nil); return nil }),
		"reset":       fn(func([]js.Value) any { p.send("reset", nil); return nil }),
		"step":        fn(func([]js.Value) any { p.send("step", nil); return nil }),
		"redeploy":    fn(func([]js.Value) any { p.send("redeploy", nil); return nil }),
		"clearErrors": fn(func([]js.Value) any { p.ClearErrors(); return nil }),
		"memory":      fn(func([]js.Value) any { return p.Memory() }),
		"query":       fn(func([]js.Value) any { return p.query }),
		"curve": fn(func([]js.Value) any {
			var r render.Run
			if runs := p.mirror.Scene.Runs; len(runs) > 0 {
				r = runs[len(runs)-1]
			}
			return curveAPI(r)
		}),
		"loadFile": fn(func(args []js.Value) any {
			if len(args) != 1 {
				return p.loadFile(js.Undefined())
			}
			return p.loadFile(args[0])
		}),
		"settings": fn(func([]js.Value) any { return p.Settings() }),
		"options": fn(func([]js.Value) any {
			out := map[string]any{}
			for name, opts := range p.options() {
				list := make([]any, len(opts))
				for i, o := range opts {
					list[i] = map[string]any{"value": o.Value, "label": o.Label, "about": o.About}
				}
				out[name] = list
			}
			return out
		}),
		"raceCurve": fn(func(args []js.Value) any {
			if p.race == nil || len(args) != 1 || args[0].Type() != js.TypeNumber {
				return nil
			}
			return p.race.curveOf(args[0].Int())
		}),
		"curveCSV": fn(func([]js.Value) any { return p.curveCSV() }),
		"raceCurveCSV": fn(func(args []js.Value) any {
			if p.race == nil || len(args) != 1 || args[0].Type() != js.TypeNumber {
				return js.Global().Get("Promise").Call("resolve", js.Null())
			}
			i := args[0].Int()
			if i < 0 || i >= len(p.race.racers) {
				return js.Global().Get("Promise").Call("resolve", js.Null())
			}
			return p.race.racers[i].curveCSV()
		}),
		"raceMemory": fn(func([]js.Value) any {
			if p.race == nil {
				return js.Global().Get("Promise").Call("resolve", []any{})
			}
			return p.race.memory()
		}),
	}
	js.Global().Set("meshlight", api)
	doc := js.Global().Get("document")
	doc.Call("dispatchEvent", js.Global().Get("Event").New("meshlight:api"))
}

// goMemory is Go's heap as window.meshlight.memory() reports it (gomem.Stats).
func goMemory() map[string]any { return gomem.Stats() }

// jsString is the URL form of a JavaScript value: numbers as JavaScript prints them,
// booleans as 1 or 0.
func jsString(v js.Value) string {
	switch v.Type() {
	case js.TypeBoolean:
		if v.Bool() {
			return "1"
		}
		return "0"
	case js.TypeString:
		return v.String()
	}
	return js.Global().Call("String", v).String()
}

// toMap turns a struct of plain fields into a map keyed by the fields' json names.
func toMap(v any) map[string]any {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	out := make(map[string]any, rt.NumField())
	for i := 0; i < rt.NumField(); i++ {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name == "" {
			name = rt.Field(i).Name
		}
		switch f := rv.Field(i); f.Kind() {
		case reflect.Bool:
			out[name] = f.Bool()
		case reflect.Int, reflect.Int64:
			out[name] = f.Int()
		case reflect.Float64:
			out[name] = f.Float()
		case reflect.String:
			out[name] = f.String()
		default:
			out[name] = fmt.Sprint(f.Interface())
		}
	}
	return out
}

// curveAPI is a run's curve for the page API: its series, and kept, the index of the kept
// point (the state of best validation accuracy, which the chart marks), -1 when none.
func curveAPI(r render.Run) map[string]any {
	k, _ := r.KeptAt()
	return map[string]any{"label": r.Label, "queries": floats(r.Queries), "accuracy": floats(r.Accuracy),
		"power": floats(r.Power), "valid": floats(r.Valid), "kept": k}
}

// floats is a slice as JavaScript numbers.
func floats(v []float64) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}
