package sim

import (
	"bytes"
	"fmt"
	"path"
	"slices"

	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/model"
)

// loader is the Session's model: one load at a time (its result taken by Tick), the model
// files that wait for it, and the model loaded with its data.
type loader struct {
	loadCh   chan loaded
	loading  string // the model reference being loaded, "" if none
	status   string
	modelRef string // the reference of the loaded model (for a file, what the URL keeps)
	// modelFile names the loaded model's file when it came from the page (dropped or
	// chosen; "" when fetched from the site), and waiting are the files that arrived
	// while another load ran, oldest first (modelfile.go).
	modelFile string
	waiting   []fileLoad
	model     *model.Model
	trainSet  *dataset.Set
	testSet   *dataset.Set
	classes   []string
	// choices counts the page's choices of a model from the site (set with model, even the
	// one the settings name already: after a model file it brings the site's model back).
	// A load started before the latest choice is stale.
	choices uint64
}

// loaded is the result of one load.
type loaded struct {
	ref         string
	file        string // the file's name for a model from the page, "" for a fetched one
	choice      uint64 // the loader's choices when it started
	m           *model.Model
	train, test *dataset.Set
	err         error
}

// start fetches and validates the model ref and its data in the background, unless a load
// runs (the session starts the newest request when it ends).
func (l *loader) start(fetch Fetch, ref string) {
	if l.loading != "" {
		return
	}
	l.loading = ref
	l.status = "loading " + ModelPath(ref) + "…"
	ch, choice := l.loadCh, l.choices
	go func() {
		r := load(fetch, ref)
		r.choice = choice
		ch <- r
	}()
}

// startFile reads a model file from the page and fetches its data set in the background,
// or queues the file behind the load that runs; ref is the model the address keeps naming.
// It returns the message about a file dropped unread from a full queue.
func (l *loader) startFile(fetch Fetch, ref string, f fileLoad) error {
	if l.loading != "" {
		var err error
		if len(l.waiting) == MaxWaitingFiles {
			err = fmt.Errorf("model file %s: dropped unread: %d newer files came while another loaded", l.waiting[0].name, MaxWaitingFiles)
			l.waiting = slices.Delete(l.waiting, 0, 1)
		}
		l.waiting = append(l.waiting, f)
		return err
	}
	l.loading = "file " + f.name
	l.status = "loading your model file " + f.name + "…"
	ch, choice := l.loadCh, l.choices
	go func() {
		r := loadModel(fetch, loaded{ref: ref, file: f.name}, f.name, f.data)
		r.choice = choice
		ch <- r
	}()
	return nil
}

// take returns a finished load, if any; the loader is then free.
func (l *loader) take() (loaded, bool) {
	select {
	case r := <-l.loadCh:
		l.loading = ""
		return r, true
	default:
		return loaded{}, false
	}
}

// choose counts a choice of the model ref from the site and reports whether it needs a
// load even if the settings named ref already: a model file is shown or loading, or
// another model is shown or loads.
func (l *loader) choose(ref string) bool {
	l.choices++
	return l.modelFile != "" || l.modelRef != ref || l.loading != ""
}

// stale reports whether the finished load r was overtaken by a later choice of the model
// chosen, and is not to be installed: a model file or another model, started before the
// choice. A load of the very model chosen is installed whenever it started.
func (l *loader) stale(r loaded, chosen string) bool {
	if r.choice == l.choices {
		return false
	}
	return r.file != "" || r.ref != chosen
}

// nextFile returns the oldest file that waits, when no load runs.
func (l *loader) nextFile() (fileLoad, bool) {
	if len(l.waiting) == 0 || l.loading != "" {
		return fileLoad{}, false
	}
	f := l.waiting[0]
	l.waiting = slices.Delete(l.waiting, 0, 1)
	return f, true
}

// install makes a good load the loaded model.
func (l *loader) install(r loaded) {
	l.model, l.modelRef, l.modelFile, l.trainSet, l.testSet = r.m, r.ref, r.file, r.train, r.test
	l.classes = dataset.ClassNames(r.m.Dataset)
	l.status = ""
}

// layers is the loaded model's number of layers, 0 before one is loaded.
func (l *loader) layers() int {
	if l.model == nil {
		return 0
	}
	return len(l.model.Layer)
}

// options are the model and layer selectors' choices; chosen is the settings' model.
func (l *loader) options(chosen string) (models, layers []Option) {
	found := false
	for _, m := range Catalog() {
		models = append(models, Option{Value: m.Name, Label: m.Title})
		found = found || m.Name == chosen
	}
	if !found {
		models = append(models, Option{Value: chosen, Label: chosen})
	}
	if l.modelFile != "" {
		models = append(models, fileOption(l.modelFile))
	}
	if l.model == nil {
		return models, []Option{{Value: "0", Label: "1"}}
	}
	for i, ml := range l.model.Layer {
		layers = append(layers, Option{Value: fmt.Sprint(i), Label: fmt.Sprintf("%d: %s %d×%d", i+1, ml.Kind, ml.Out, ml.In)})
	}
	return models, layers
}

// title is the loaded model's title: the catalog's for a shipped model, the file's name
// with its data set and architecture for a file from the page.
func (l *loader) title() string {
	switch {
	case l.model == nil:
		return "meshlight"
	case l.modelFile != "":
		return fmt.Sprintf("%s · %s · %s", l.modelFile, l.model.Dataset, l.model.Architecture)
	}
	if m, ok := CatalogEntry(l.modelRef); ok {
		return m.Title
	}
	return l.model.Name
}

// load fetches and validates the model file of ref and its data set's shipped splits. The
// model file is read up to model.MaxFileSize bytes, a data file up to dataset.MaxFileSize.
// The data set's name, which becomes a path, was checked by model.Read
// (dataset.CheckName), as ref was by ValidModelRef.
func load(fetch Fetch, ref string) loaded {
	p := ModelPath(ref)
	b, err := fetch(p, model.MaxFileSize)
	if err != nil {
		return loaded{ref: ref, err: fmt.Errorf("model %s: %w", p, err)}
	}
	return loadModel(fetch, loaded{ref: ref}, path.Base(p), b)
}

// loadModel validates the model file b (plain or gzipped: model.Read tells them apart),
// named name, and fetches its data set's shipped splits: the part of loading that a model
// fetched from the site (load) and a file from the page (loadFile) share. out says where
// the model came from; its m, train and test are filled, or err.
func loadModel(fetch Fetch, out loaded, name string, b []byte) loaded {
	fail := func(err error) loaded { return loaded{ref: out.ref, file: out.file, err: err} }
	m, err := model.Read(bytes.NewReader(b), name)
	if err != nil {
		if out.file != "" {
			return fail(fmt.Errorf("model file %w", err)) // model.Read names the file
		}
		return fail(err)
	}
	what := "model" // how messages name the model: a fetched one, or a file from the page
	if out.file != "" {
		what = "model file"
	}
	out.m = m
	for _, sp := range []struct {
		split dataset.Split
		dst   **dataset.Set
	}{{dataset.Test, &out.test}, {dataset.Train, &out.train}} {
		dp := "data/" + dataset.FileName(m.Dataset, sp.split)
		db, err := fetch(dp, dataset.MaxFileSize)
		if err != nil {
			if out.file != "" { // a file made elsewhere may name a data set this site lacks
				return fail(fmt.Errorf("model file %s: this site has no data set %q (%s: %w)", name, m.Dataset, dp, err))
			}
			return fail(fmt.Errorf("model %s: data set %s: %w", name, dp, err))
		}
		var set *dataset.Set
		if sp.split == dataset.Test { // its first EvalSamples (the file is still read and checked whole)
			set, err = dataset.ReadHead(bytes.NewReader(db), path.Base(dp), EvalSamples)
		} else {
			set, err = dataset.Read(bytes.NewReader(db), path.Base(dp))
		}
		if err != nil {
			return fail(fmt.Errorf("%s %s: %w", what, name, err))
		}
		if set.Features() != m.Input.Size() {
			return fail(fmt.Errorf("%s %s: data set %s has %d features per sample, the model takes %d", what, name, dp, set.Features(), m.Input.Size()))
		}
		*sp.dst = set
	}
	return out
}
