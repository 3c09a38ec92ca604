package sluice

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Kind is a bit set of the plugin kinds a class implements.
type Kind uint16

// Plugin kinds.
const (
	KindTransformation Kind = 1 << iota
	KindPredicate
	KindConverter
	KindHeaderConverter
	KindSourceConnector
	KindSinkConnector
	KindConfigProvider
)

var kindNames = []struct {
	k      Kind
	name   string
	suffix string // Java's PluginType simple name, pruned from aliases
}{
	{KindTransformation, "transformation", "Transformation"},
	{KindPredicate, "predicate", "Predicate"},
	{KindConverter, "converter", "Converter"},
	{KindHeaderConverter, "header_converter", "HeaderConverter"},
	{KindSourceConnector, "source", "Connector"},
	{KindSinkConnector, "sink", "Connector"},
	{KindConfigProvider, "config_provider", "ConfigProvider"},
}

// String lists the kinds, e.g. "converter,header_converter".
func (k Kind) String() string {
	var parts []string
	for _, n := range kindNames {
		if k&n.k != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, ",")
}

// Plugin describes one registered class.
type Plugin struct {
	// Class is the Java fully qualified class name, e.g.
	// "org.apache.kafka.connect.transforms.Cast$Value".
	Class string
	// OldClasses are further full names of the same plugin (older package
	// spellings). Each counts as a distinct class when aliases are computed,
	// as it does on a Java plugin path holding both jars.
	OldClasses []string
	Kinds      Kind
	Config     *ConfigDef
	Doc        string
	// New returns a fresh, unconfigured instance. Nil for abstract classes.
	New func() any
	// Abstract marks a class that cannot be instantiated (Cast, whose
	// $Key/$Value variants are the real plugins); Nested lists those variants.
	Abstract bool
	Nested   []string
}

// Registry maps class names and aliases to plugins.
type Registry struct {
	mu      sync.RWMutex
	byClass map[string]*Plugin
	aliases map[string]string // alias → class name
	dirty   bool
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{byClass: map[string]*Plugin{}} }

// Plugins is the process-wide registry that plugin packages fill from init().
var Plugins = NewRegistry()

// Register adds p to the process-wide registry.
func Register(p *Plugin) { Plugins.Register(p) }

// Register adds a plugin. Registering a class name twice panics.
func (r *Registry) Register(p *Plugin) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, name := range append([]string{p.Class}, p.OldClasses...) {
		if _, dup := r.byClass[name]; dup {
			panic("sluice: plugin " + name + " registered twice")
		}
		r.byClass[name] = p
	}
	r.dirty = true
}

// SimpleName returns Java's Class.getSimpleName of a class name: the part
// after the last '.' and, for nested classes, after the last '$'.
func SimpleName(class string) string {
	if i := strings.LastIndexByte(class, '.'); i >= 0 {
		class = class[i+1:]
	}
	if i := strings.LastIndexByte(class, '$'); i >= 0 {
		class = class[i+1:]
	}
	return class
}

func (r *Registry) computeAliases() {
	seen := map[string]map[string]bool{}
	add := func(alias, class string) {
		if seen[alias] == nil {
			seen[alias] = map[string]bool{}
		}
		seen[alias][class] = true
	}
	for class, p := range r.byClass {
		if p.Abstract {
			continue
		}
		simple := SimpleName(class)
		add(simple, class)
		for _, n := range kindNames {
			if p.Kinds&n.k == 0 {
				continue
			}
			if i := strings.LastIndex(simple, n.suffix); i > 0 {
				add(simple[:i], class)
			} else {
				add(simple, class)
			}
		}
	}
	r.aliases = map[string]string{}
	for alias, classes := range seen {
		if len(classes) == 1 {
			for c := range classes {
				if c != alias {
					r.aliases[alias] = c
				}
			}
		}
	}
	r.dirty = false
}

// Lookup resolves a class name or a unique alias to its plugin and the class
// name it resolved to. It fails with Kafka's words:
// "Class X could not be found."
func (r *Registry) Lookup(name string) (*Plugin, string, error) {
	r.mu.RLock()
	p, ok := r.byClass[name]
	dirty := r.dirty
	r.mu.RUnlock()
	if ok {
		return p, name, nil
	}
	if dirty {
		r.mu.Lock()
		if r.dirty {
			r.computeAliases()
		}
		r.mu.Unlock()
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if class, ok := r.aliases[name]; ok {
		return r.byClass[class], class, nil
	}
	return nil, "", fmt.Errorf("Class %s could not be found.", name)
}

// Aliases returns the unique aliases of a class name, sorted.
func (r *Registry) Aliases(class string) []string {
	r.mu.Lock()
	if r.dirty || r.aliases == nil {
		r.computeAliases()
	}
	var out []string
	for a, c := range r.aliases {
		if c == class {
			out = append(out, a)
		}
	}
	r.mu.Unlock()
	sort.Strings(out)
	return out
}

// All returns every registered plugin once, sorted by class name.
func (r *Registry) All() []*Plugin {
	r.mu.RLock()
	defer r.mu.RUnlock()
	seen := map[*Plugin]bool{}
	var out []*Plugin
	for _, p := range r.byClass {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Class < out[j].Class })
	return out
}
