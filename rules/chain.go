package rules

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"sluice.io/sluice"
)

// Implicit keys of every transformation (Kafka's TransformationStage);
// TransformsConfig and PredicatesConfig name the alias lists.
const (
	PredicateConfig = "predicate"
	NegateConfig    = "negate"
)

// Chain error stages.
const (
	// StageConfig marks an error found while building or validating a chain.
	StageConfig = "config"
	// StageApply marks an error raised by a transformation or predicate on a record.
	StageApply = "apply"
)

// ChainOptions tune how a chain is built.
type ChainOptions struct {
	// Registry resolves class names; nil means sluice.Plugins.
	Registry *sluice.Registry
	// ExactClassNames resolves `…type` values by their primary full class
	// name only, as a plain Java class loader with only the current jars
	// does: no plugin aliases such as "RegexRouter" and no older package
	// spellings. Conformance vectors were recorded that way.
	ExactClassNames bool
}

func (o ChainOptions) registry() *sluice.Registry {
	if o.Registry != nil {
		return o.Registry
	}
	return sluice.Plugins
}

// lookup resolves a class name (trimmed) to a plugin.
func (o ChainOptions) lookup(name string) (*sluice.Plugin, string, error) {
	p, class, err := o.registry().Lookup(name)
	if err != nil {
		return nil, "", err
	}
	if o.ExactClassNames && p.Class != name {
		return nil, "", fmt.Errorf("Class %s could not be found.", name)
	}
	return p, class, nil
}

// ChainError is an error of one chain stage: a configuration error found
// while building the chain, or a failure of a transformation or its
// predicate on a record. The Java exception class is that of Err
// (sluice.ErrorClass sees through ChainError).
type ChainError struct {
	// Stage is StageConfig or StageApply.
	Stage string
	// Alias and Class name the transformation ("" for errors of the chain as a whole).
	Alias string
	Class string
	// PredicateAlias and PredicateClass are set when the predicate failed.
	PredicateAlias string
	PredicateClass string
	Err            error
}

// Error implements error.
func (e *ChainError) Error() string {
	var b strings.Builder
	switch {
	case e.PredicateAlias != "" && e.Alias != "":
		fmt.Fprintf(&b, "predicate %q", e.PredicateAlias)
		if e.PredicateClass != "" {
			fmt.Fprintf(&b, " (%s)", e.PredicateClass)
		}
		fmt.Fprintf(&b, " of transformation %q", e.Alias)
		if e.Class != "" {
			fmt.Fprintf(&b, " (%s)", e.Class)
		}
	case e.PredicateAlias != "":
		fmt.Fprintf(&b, "predicate %q", e.PredicateAlias)
		if e.PredicateClass != "" {
			fmt.Fprintf(&b, " (%s)", e.PredicateClass)
		}
	case e.Alias != "" || e.Class != "":
		fmt.Fprintf(&b, "transformation %q", e.Alias)
		if e.Class != "" {
			fmt.Fprintf(&b, " (%s)", e.Class)
		}
	default:
		b.WriteString("transformation chain")
	}
	if e.Stage == StageApply {
		b.WriteString(" failed: ")
	} else {
		b.WriteString(" is misconfigured: ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *ChainError) Unwrap() error { return e.Err }

// ChainStage is one compiled stage of a chain.
type ChainStage struct {
	Alias          string
	Class          string
	Transformation sluice.Transformation
	// Predicate is nil when the stage always applies.
	Predicate      sluice.Predicate
	PredicateAlias string
	PredicateClass string
	// Negate inverts the predicate.
	Negate bool

	// inPlace is Transformation when it can change owned records in place.
	inPlace sluice.InPlaceTransformation
}

// Chain is a compiled transformation chain: transformations guarded by
// predicates, run in the order of the `transforms` list.
type Chain struct {
	stages []ChainStage
}

// Stages returns the compiled stages in order.
func (c *Chain) Stages() []ChainStage { return c.stages }

// Len returns the number of stages.
func (c *Chain) Len() int { return len(c.stages) }

// Apply runs the chain on one record. A stage with a predicate runs its
// transformation only when negate XOR test is true. A nil result means the
// record was dropped and the chain stopped. Errors of a transformation or of
// its predicate come back as a *ChainError of stage StageApply.
func (c *Chain) Apply(r *sluice.Record) (*sluice.Record, error) {
	out, _, err := c.ApplyDetail(r)
	return out, err
}

// ApplyDetail is Apply that also returns the index of the stage that
// dropped the record or failed (-1 when the record went through).
//
// The input record is never changed. Records made along the way belong to
// the chain, which lets stages that implement sluice.InPlaceTransformation
// change them in place instead of copying again: the first stage sees the
// input with sluice.OwnNone, later ones the ownership the stage before
// reported. A plain Transformation that returns a record other than its
// input hands over that Record struct (and only it: sluice.OwnRecord); one
// that returns its input leaves the ownership as it was. Transformations
// and predicates therefore must not keep the records they are given or
// return: a later stage may change them. The returned record belongs to the
// caller.
func (c *Chain) ApplyDetail(r *sluice.Record) (*sluice.Record, int, error) {
	own := sluice.OwnNone
	for i := range c.stages {
		s := &c.stages[i]
		if s.Predicate != nil {
			ok, err := s.Predicate.Test(r)
			if err != nil {
				return nil, i, &ChainError{Stage: StageApply, Alias: s.Alias, Class: s.Class,
					PredicateAlias: s.PredicateAlias, PredicateClass: s.PredicateClass, Err: err}
			}
			if ok == s.Negate {
				continue
			}
		}
		var out *sluice.Record
		var err error
		if s.inPlace != nil {
			out, own, err = s.inPlace.ApplyOwned(r, own)
		} else {
			out, err = s.Transformation.Apply(r)
			if out != r {
				own = sluice.OwnRecord
			}
		}
		if err != nil {
			return nil, i, &ChainError{Stage: StageApply, Alias: s.Alias, Class: s.Class, Err: err}
		}
		if out == nil {
			return nil, i, nil
		}
		r = out
	}
	return r, -1, nil
}

// Close closes every transformation and predicate, returning the first error.
func (c *Chain) Close() error {
	var first error
	for i := range c.stages {
		s := &c.stages[i]
		if err := s.Transformation.Close(); err != nil && first == nil {
			first = fmt.Errorf("closing transformation %q: %w", s.Alias, err)
		}
		if s.Predicate != nil {
			if err := s.Predicate.Close(); err != nil && first == nil {
				first = fmt.Errorf("closing predicate %q: %w", s.PredicateAlias, err)
			}
		}
	}
	return first
}

// chainKind describes the two enrichable plugin kinds.
type chainKind struct {
	kind     sluice.Kind
	listKey  string // "transforms" / "predicates"
	iface    string // Java interface simple name
	implicit bool   // transformations get the implicit predicate/negate keys
}

var (
	chainTransformKind = chainKind{sluice.KindTransformation, TransformsConfig, "Transformation", true}
	chainPredicateKind = chainKind{sluice.KindPredicate, PredicatesConfig, "Predicate", false}
)

// chainAlias is one listed alias with its resolved plugin and embedded keys.
type chainAlias struct {
	kind    *chainKind
	alias   string
	prefix  string
	typeKey string
	plugin  *sluice.Plugin
	class   string
	// keys are the plugin's keys, embedded under prefix, in Kafka's
	// sorted order (implicit predicate/negate included for transformations).
	keys []*sluice.ConfigKey
}

// The implicit keys every transformation has (they mask same-named keys of
// the transformation itself).
var chainImplicitKeys = []*sluice.ConfigKey{
	{Name: PredicateConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "The alias of a predicate used to determine whether to apply this transformation."},
	{Name: NegateConfig, Type: sluice.TypeBoolean, Default: false, Importance: sluice.Medium,
		Doc: "Whether the configured predicate should be negated."},
}

// chainParseAliases parses the `transforms` or `predicates` LIST and checks
// that no alias repeats.
func chainParseAliases(props map[string]string, key string) ([]string, error) {
	raw, ok := props[key]
	if !ok {
		return []string{}, nil
	}
	list := sluice.SplitList(raw)
	seen := make(map[string]bool, len(list))
	for _, a := range list {
		if seen[a] {
			return nil, &sluice.ConfigError{Name: key, Value: sluice.JavaListString(list), Msg: "Duplicate alias provided."}
		}
		seen[a] = true
	}
	return list, nil
}

// chainResolve resolves the `…type` class of one alias and checks that it is
// a concrete class of the wanted kind (Kafka's enrich step). It returns the
// error Java raises while enriching the connector's ConfigDef.
func chainResolve(props map[string]string, k *chainKind, alias string, opts ChainOptions) (*chainAlias, error) {
	prefix := k.listKey + "." + alias + "."
	a := &chainAlias{kind: k, alias: alias, prefix: prefix, typeKey: prefix + "type"}
	raw, ok := props[a.typeKey]
	if !ok {
		return a, &sluice.ConfigError{Name: a.typeKey, Value: nil, Msg: "Not a " + k.iface}
	}
	p, class, err := opts.lookup(sluice.JavaTrim(raw))
	if err != nil {
		return a, &sluice.ConfigError{Name: a.typeKey, Value: raw, Msg: "Class " + raw + " could not be found."}
	}
	a.plugin, a.class = p, class
	if p.Kinds&k.kind == 0 {
		return a, sluice.NewConfigError("Class class %s does not implement the %s interface", class, k.iface)
	}
	if p.Abstract || p.New == nil {
		msg := "This class is abstract and cannot be created."
		var nested []string
		for _, n := range p.Nested {
			if np, _, err := opts.registry().Lookup(n); err == nil && np.Kinds&k.kind != 0 && !np.Abstract {
				nested = append(nested, n)
			}
		}
		if len(nested) > 0 {
			msg += " Did you mean " + strings.Join(nested, ", ") + "?"
		}
		return a, sluice.NewConfigError("%s", msg)
	}
	def := p.Config
	if def == nil {
		def = sluice.NewConfigDef()
	}
	var keys []*sluice.ConfigKey
	if k.implicit {
		keys = append(keys, chainImplicitKeys...)
	}
	for _, key := range def.Keys() {
		if k.implicit && (key.Name == PredicateConfig || key.Name == NegateConfig) {
			continue // masked by the implicit key
		}
		if key.Name == "type" {
			return a, sluice.NewConfigError("Configuration %s is defined twice.", a.typeKey)
		}
		keys = append(keys, key)
	}
	chainSortKeys(keys)
	a.keys = keys
	return a, nil
}

// chainSortKeys orders keys as Kafka's ConfigDef.sortedConfigs does before
// embedding them: ungrouped keys first, then groups in order of appearance;
// within a group required keys first, then by importance, then by name.
func chainSortKeys(keys []*sluice.ConfigKey) {
	groupOrd := map[string]int{"": -1}
	for _, k := range keys {
		if _, ok := groupOrd[k.Group]; !ok {
			groupOrd[k.Group] = len(groupOrd)
		}
	}
	imp := func(i sluice.Importance) int {
		if i == 0 {
			return int(sluice.Low)
		}
		return int(i)
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if ga, gb := groupOrd[a.Group], groupOrd[b.Group]; ga != gb {
			return ga < gb
		}
		if a.Required() != b.Required() {
			return a.Required()
		}
		if ia, ib := imp(a.Importance), imp(b.Importance); ia != ib {
			return ia < ib
		}
		return a.Name < b.Name
	})
}

// chainParseKey parses one embedded key: type and presence errors name the
// full prefixed key, validator errors the plugin's own key name (Kafka's
// embedded validator strips the prefix).
func chainParseKey(props map[string]string, prefix string, k *sluice.ConfigKey) error {
	full := prefix + k.Name
	var v any
	if raw, ok := props[full]; ok {
		p, err := sluice.ParseConfigValue(full, k.Type, raw)
		if err != nil {
			return err
		}
		v = p
	} else if k.Required() {
		return sluice.MissingConfig(full)
	} else {
		v = k.Default
	}
	if k.Validator != nil {
		return k.Validator.Validate(k.Name, v)
	}
	return nil
}

// chainCheckNegate is the check Kafka runs when validating a transformation's
// type key: negate requires a predicate.
func chainCheckNegate(props map[string]string, a *chainAlias) error {
	if !a.kind.implicit {
		return nil
	}
	n, p := a.prefix+NegateConfig, a.prefix+PredicateConfig
	_, hasN := props[n]
	_, hasP := props[p]
	if hasN && !hasP {
		return sluice.NewConfigError("Config '%s' was provided but there is no config '%s' defining a predicate to be negated.", n, p)
	}
	return nil
}

// chainError wraps a configuration error with the alias it concerns.
func chainError(a *chainAlias, err error) error {
	if a == nil {
		return &ChainError{Stage: StageConfig, Err: err}
	}
	if a.kind.implicit {
		return &ChainError{Stage: StageConfig, Alias: a.alias, Class: a.class, Err: err}
	}
	return &ChainError{Stage: StageConfig, PredicateAlias: a.alias, PredicateClass: a.class, Err: err}
}

// chainConfigure holds the prefix-stripped originals of one alias.
func chainOriginals(props map[string]string, prefix string) map[string]string {
	return sluice.WithPrefix(props, prefix)
}

// BuildChain compiles the transformation chain that flat connector
// properties describe, exactly as a Kafka Connect task builds it:
//
//  1. the `transforms` and `predicates` lists are parsed (no duplicate aliases);
//  2. every listed alias's `…type` class is resolved and must be a concrete
//     class of the right kind;
//  3. every key of every plugin is validated under its prefixed name (with
//     `transforms.<a>.predicate` and `transforms.<a>.negate` implicit);
//  4. each transformation is instantiated and configured with its
//     prefix-stripped raw properties, then its predicate (resolved by alias
//     when the stage is built: an alias missing from `predicates` fails here).
//
// The first error wins and is returned as a *ChainError of stage StageConfig.
func BuildChain(props map[string]string, opts ChainOptions) (*Chain, error) {
	transforms, err := chainParseAliases(props, TransformsConfig)
	if err != nil {
		return nil, chainError(nil, err)
	}
	predicates, err := chainParseAliases(props, PredicatesConfig)
	if err != nil {
		return nil, chainError(nil, err)
	}
	var all []*chainAlias
	preds := make(map[string]*chainAlias, len(predicates))
	for _, kv := range []struct {
		k       *chainKind
		aliases []string
	}{{&chainTransformKind, transforms}, {&chainPredicateKind, predicates}} {
		for _, alias := range kv.aliases {
			a, err := chainResolve(props, kv.k, alias, opts)
			if err != nil {
				return nil, chainError(a, err)
			}
			all = append(all, a)
			if kv.k == &chainPredicateKind {
				preds[alias] = a
			}
		}
	}
	for _, a := range all {
		if err := chainCheckNegate(props, a); err != nil {
			return nil, chainError(a, err)
		}
		for _, k := range a.keys {
			if err := chainParseKey(props, a.prefix, k); err != nil {
				return nil, chainError(a, err)
			}
		}
	}
	c := &Chain{stages: make([]ChainStage, 0, len(transforms))}
	for _, a := range all[:len(transforms)] {
		st, err := chainBuildStage(props, a, preds)
		if err != nil {
			_ = c.Close()
			return nil, err
		}
		c.stages = append(c.stages, st)
	}
	return c, nil
}

// chainBuildStage instantiates and configures one transformation and its predicate.
func chainBuildStage(props map[string]string, a *chainAlias, preds map[string]*chainAlias) (ChainStage, error) {
	st := ChainStage{Alias: a.alias, Class: a.class}
	inst := a.plugin.New()
	t, ok := inst.(sluice.Transformation)
	if !ok {
		return st, chainError(a, sluice.NewConfigError("Class class %s does not implement the Transformation interface", a.class))
	}
	cfg := chainOriginals(props, a.prefix)
	predAlias, hasPred := cfg[PredicateConfig]
	negate, hasNegate := cfg[NegateConfig]
	delete(cfg, PredicateConfig)
	delete(cfg, NegateConfig)
	if err := t.Configure(cfg); err != nil {
		return st, chainError(a, err)
	}
	st.Transformation = t
	st.inPlace, _ = t.(sluice.InPlaceTransformation)
	if !hasPred {
		return st, nil
	}
	closeT := func() { _ = t.Close() }
	pa, ok := preds[predAlias]
	if !ok {
		closeT()
		return st, &ChainError{Stage: StageConfig, Alias: a.alias, Class: a.class, PredicateAlias: predAlias,
			Err: sluice.NewConfigError("Unknown configuration '%s'", PredicatesConfig+"."+predAlias+".type")}
	}
	pinst := pa.plugin.New()
	p, ok := pinst.(sluice.Predicate)
	if !ok {
		closeT()
		return st, &ChainError{Stage: StageConfig, Alias: a.alias, Class: a.class, PredicateAlias: pa.alias,
			PredicateClass: pa.class, Err: sluice.NewConfigError("Class class %s does not implement the Predicate interface", pa.class)}
	}
	if err := p.Configure(chainOriginals(props, pa.prefix)); err != nil {
		closeT()
		return st, &ChainError{Stage: StageConfig, Alias: a.alias, Class: a.class, PredicateAlias: pa.alias,
			PredicateClass: pa.class, Err: err}
	}
	st.Predicate, st.PredicateAlias, st.PredicateClass = p, pa.alias, pa.class
	// Java reads negate with Boolean.parseBoolean on the raw string.
	st.Negate = hasNegate && strings.EqualFold(negate, "true")
	return st, nil
}

// ConfigIssue is one configuration problem found by ValidateAll: the key it
// concerns, the raw value (when set) and the reason.
type ConfigIssue struct {
	Key      string
	Value    string
	HasValue bool
	Err      error
}

// Error implements error.
func (e *ConfigIssue) Error() string {
	if e.HasValue {
		return fmt.Sprintf("%s=%s: %v", e.Key, e.Value, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Key, e.Err)
}

// Unwrap returns the cause.
func (e *ConfigIssue) Unwrap() error { return e.Err }

func chainIssue(props map[string]string, key string, err error) *ConfigIssue {
	v, ok := props[key]
	return &ConfigIssue{Key: key, Value: v, HasValue: ok, Err: err}
}

// ValidateAll lists every configuration error of the chain that props
// describe at once, resolving class aliases as a Connect worker does. See
// ValidateChain.
func ValidateAll(props map[string]string) []error {
	return ValidateChain(props, ChainOptions{})
}

// ValidateChain lists every configuration error of the chain at once, each a
// *ConfigIssue: the alias lists, every `…type` class, every plugin key (as
// Kafka's REST validation reports them), and, for aliases whose keys are all
// valid, the errors their transformations and predicates raise when
// configured (which a task would hit when it starts).
func ValidateChain(props map[string]string, opts ChainOptions) []error {
	var errs []error
	transforms, err := chainParseAliases(props, TransformsConfig)
	if err != nil {
		errs = append(errs, chainIssue(props, TransformsConfig, err))
		transforms = chainUnique(sluice.SplitList(props[TransformsConfig]))
	}
	predicates, err := chainParseAliases(props, PredicatesConfig)
	if err != nil {
		errs = append(errs, chainIssue(props, PredicatesConfig, err))
		predicates = chainUnique(sluice.SplitList(props[PredicatesConfig]))
	}
	okAlias := map[*chainAlias]bool{}
	preds := map[string]*chainAlias{}
	var tAliases []*chainAlias
	for _, kv := range []struct {
		k       *chainKind
		aliases []string
	}{{&chainTransformKind, transforms}, {&chainPredicateKind, predicates}} {
		for _, alias := range kv.aliases {
			a, err := chainResolve(props, kv.k, alias, opts)
			if kv.k == &chainPredicateKind {
				preds[alias] = a
			} else {
				tAliases = append(tAliases, a)
			}
			var aliasErrs []error
			if _, set := props[a.typeKey]; !set {
				aliasErrs = append(aliasErrs, chainIssue(props, a.typeKey, sluice.MissingConfig(a.typeKey)))
			} else if err != nil {
				aliasErrs = append(aliasErrs, chainIssue(props, a.typeKey, err))
			}
			if err := chainCheckNegate(props, a); err != nil {
				aliasErrs = append(aliasErrs, chainIssue(props, a.prefix+NegateConfig, err))
			}
			for _, k := range a.keys {
				if err := chainParseKey(props, a.prefix, k); err != nil {
					aliasErrs = append(aliasErrs, chainIssue(props, a.prefix+k.Name, err))
				}
			}
			okAlias[a] = len(aliasErrs) == 0
			errs = append(errs, aliasErrs...)
		}
	}
	// Configure what validated cleanly, as a task would.
	for _, a := range tAliases {
		if !okAlias[a] {
			continue
		}
		t, ok := a.plugin.New().(sluice.Transformation)
		if !ok {
			continue
		}
		cfg := chainOriginals(props, a.prefix)
		predAlias, hasPred := cfg[PredicateConfig]
		delete(cfg, PredicateConfig)
		delete(cfg, NegateConfig)
		if err := t.Configure(cfg); err != nil {
			errs = append(errs, chainIssue(props, a.typeKey, err))
		}
		_ = t.Close()
		if hasPred {
			if _, ok := preds[predAlias]; !ok {
				errs = append(errs, chainIssue(props, a.prefix+PredicateConfig,
					sluice.NewConfigError("Unknown configuration '%s'", PredicatesConfig+"."+predAlias+".type")))
			}
		}
	}
	for _, alias := range predicates {
		a := preds[alias]
		if !okAlias[a] {
			continue
		}
		p, ok := a.plugin.New().(sluice.Predicate)
		if !ok {
			continue
		}
		if err := p.Configure(chainOriginals(props, a.prefix)); err != nil {
			errs = append(errs, chainIssue(props, a.typeKey, err))
		}
		_ = p.Close()
	}
	return errs
}

func chainUnique(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range list {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// IsChainConfigError reports whether err is a configuration error of a chain.
func IsChainConfigError(err error) bool {
	var ce *ChainError
	return errors.As(err, &ce) && ce.Stage == StageConfig
}
