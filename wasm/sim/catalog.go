package sim

import (
	"maps"
	"slices"
)

// Model is one shipped model of the site.
type Model struct {
	Name  string // short name used in the URL, e.g. "mnist8-mlp"
	Title string // what the model selector shows
	Path  string // model file, relative to the site
}

// catalog lists the shipped models (static/models/), the default first.
var catalog = []Model{
	{"mnist8-mlp", "MNIST 8×8 · MLP 64-24-24-10", "models/mnist8-mlp.json"},
	{"vowel-mlp", "Vowel · MLP 8-16-16-4", "models/vowel-mlp.json"},
	{"mnist16-cnn", "MNIST 16×16 · CNN c8s2-c6s2-10", "models/mnist16-cnn.json"},
	{"fmnist32-cnn", "Fashion-MNIST 32×32 · CNN c8s2-c8s2-10", "models/fmnist32-cnn.json"},
	{"mnist28-mlp", "MNIST 28×28 · MLP 784-32-32-10", "models/mnist28-mlp.json"},
	{"mnist28-mlp256", "MNIST 28×28 · MLP 784-256-256-10 (270k phases)", "models/mnist28-mlp256.json.gz"},
}

// Catalog returns the shipped models, the default first.
func Catalog() []Model { return slices.Clone(catalog) }

// CatalogNames returns the names of the shipped models.
func CatalogNames() []string {
	names := make([]string, len(catalog))
	for i, m := range catalog {
		names[i] = m.Name
	}
	return names
}

// CatalogEntry finds a shipped model by name.
func CatalogEntry(name string) (Model, bool) {
	for _, m := range catalog {
		if m.Name == name {
			return m, true
		}
	}
	return Model{}, false
}

// ModelPath is the site-relative URL of a model reference: a catalog name's file, or the
// reference itself when it is a path.
func ModelPath(ref string) string {
	if m, ok := CatalogEntry(ref); ok {
		return m.Path
	}
	return ref
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
