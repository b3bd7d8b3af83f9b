package sim

import "github.com/meshlight/meshlight/wasm/wire"

// A researcher's own model file (from pretrain, with its own flags) can be dropped onto the
// page or picked with its file chooser. The page checks the file's size before reading it
// and sends its bytes to the engine, whose Session loads them as it loads a fetched model
// (loadModel: the same reader, model.Read, and the same data sets from the site). The
// address cannot hold a file, so the settings and the address keep naming the last model
// from the site; the file's name shows in the title, the model selector and
// Stats.ModelFile. A bad file is reported and the last good model, run and curves stay.

// fileLoad is a model file from the page, waiting to load.
type fileLoad struct {
	name string
	data []byte
}

// LoadFile loads a model file from the page, named name, with its data set from the site,
// in the background (Tick takes the result), and then deploys it, as a model chosen in the
// selector. Files that arrive while another load runs wait for it and load in the order
// they came (at most MaxWaitingFiles wait; beyond, the oldest is dropped with a message),
// so a bad file dropped after a good one is reported and the good one stays; choosing a
// model from the site meanwhile drops them. A bad name or size is reported (and returned)
// at once, a bad file when it has been read: either way the last good state stays.
func (s *Session) LoadFile(name string, b []byte) error {
	label, err := wire.CheckModelFile(name, int64(len(b)))
	if err != nil {
		s.report(err)
		return err
	}
	if err := s.loader.startFile(s.fetch, s.set.Model, fileLoad{name: label, data: b}); err != nil {
		s.report(err) // an older file dropped: this one waits
	}
	return nil
}

// MaxWaitingFiles is how many model files may wait while another load runs: each holds
// up to model.MaxFileSize bytes until its turn.
const MaxWaitingFiles = 3

// FileOptionPrefix starts the model selector's value for a model file from the page: not a
// valid model reference (ValidModelRef), so the selector cannot ask for it by mistake.
const FileOptionPrefix = "file:"

// fileOption is the model selector's choice for the loaded file.
func fileOption(name string) Option {
	return Option{Value: FileOptionPrefix + name, Label: name + " (your file: not in the address)"}
}
