package rules

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"sluice.io/sluice"
	"sluice.io/sluice/expr/jregex"
)

// ConfigProvider supplies configuration values from outside the
// configuration itself (Kafka's ConfigProvider). Values are looked up by a
// path (its meaning is the provider's) and keys; absent keys are simply not
// in the result. Time-to-live hints are not modelled.
type ConfigProvider interface {
	// Configure receives the provider's parameters: the worker keys
	// config.providers.<name>.param.<k>, with that prefix stripped.
	Configure(params map[string]string) error
	// Get returns the values of the requested keys found at path.
	Get(path string, keys []string) (map[string]string, error)
	// Close releases the provider.
	Close() error
}

// The Java class names of the built-in providers.
const (
	FileConfigProviderClass      = "org.apache.kafka.common.config.provider.FileConfigProvider"
	EnvVarConfigProviderClass    = "org.apache.kafka.common.config.provider.EnvVarConfigProvider"
	DirectoryConfigProviderClass = "org.apache.kafka.common.config.provider.DirectoryConfigProvider"
)

// Worker keys that declare config providers.
const (
	ConfigProvidersConfig = "config.providers"
	provClassSuffix       = ".class"
	provParamInfix        = ".param."
)

const (
	provAllowedPathsConfig = "allowed.paths"
	provAllowedPathsDoc    = "Comma-separated absolute paths the provider may read from; when unset, any path may be read."
	provAllowlistConfig    = "allowlist.pattern"
	provAllowlistDoc       = "Java regular expression an environment variable name must match in full to be readable; when unset, every variable is readable."
)

var (
	_ ConfigProvider = (*FileConfigProvider)(nil)
	_ ConfigProvider = (*EnvVarConfigProvider)(nil)
	_ ConfigProvider = (*DirectoryConfigProvider)(nil)
)

func init() {
	pathsDef := func() *sluice.ConfigDef {
		return sluice.NewConfigDef().Define(sluice.ConfigKey{
			Name: provAllowedPathsConfig, Type: sluice.TypeString, Importance: sluice.Medium, Doc: provAllowedPathsDoc,
		})
	}
	sluice.Register(&sluice.Plugin{
		Class:  FileConfigProviderClass,
		Kinds:  sluice.KindConfigProvider,
		Config: pathsDef(),
		Doc:    "Reads values from Java properties files (read as UTF-8): ${file:<path>:<key>} is the value of <key> in the file <path>.",
		New:    func() any { return &FileConfigProvider{} },
	})
	sluice.Register(&sluice.Plugin{
		Class: EnvVarConfigProviderClass,
		Kinds: sluice.KindConfigProvider,
		Config: sluice.NewConfigDef().Define(sluice.ConfigKey{
			Name: provAllowlistConfig, Type: sluice.TypeString, Importance: sluice.Medium, Doc: provAllowlistDoc,
		}),
		Doc: "Reads environment variables: ${env:<name>} (or ${env::<name>}) is the value of the variable <name>, as it was when the provider was created.",
		New: func() any { return NewEnvVarConfigProvider(nil) },
	})
	sluice.Register(&sluice.Plugin{
		Class:  DirectoryConfigProviderClass,
		Kinds:  sluice.KindConfigProvider,
		Config: pathsDef(),
		Doc:    "Reads whole files from a directory: ${directory:<dir>:<file>} is the content (UTF-8, untrimmed) of the regular file <file> directly inside <dir>.",
		New:    func() any { return &DirectoryConfigProvider{} },
	})
}

// ---------------------------------------------------------------------------
// Variable substitution

// ConfigVariable is one ${provider:[path:]key} reference found in a value.
type ConfigVariable struct {
	Provider, Path, Key string
	// Start and End delimit the reference in the value (byte offsets).
	Start, End int
}

// FindConfigVariables returns the references in s in order, parsed as
// Kafka's pattern \$\{([^}]*?):(([^}]*?):)?([^}]*?)\} finds them: the
// provider runs to the first ':', the path to the next ':' if one comes
// before '}', the key to the first '}'.
func FindConfigVariables(s string) []ConfigVariable {
	var out []ConfigVariable
	for i := 0; i+1 < len(s); {
		p := strings.Index(s[i:], "${")
		if p < 0 {
			break
		}
		p += i
		q := strings.IndexByte(s[p+2:], '}')
		if q < 0 {
			break // no closing brace anywhere after: no further match
		}
		q += p + 2
		seg := s[p+2 : q]
		c := strings.IndexByte(seg, ':')
		if c < 0 {
			i = p + 1
			continue
		}
		v := ConfigVariable{Provider: seg[:c], Start: p, End: q + 1}
		rest := seg[c+1:]
		if c2 := strings.IndexByte(rest, ':'); c2 >= 0 {
			v.Path, v.Key = rest[:c2], rest[c2+1:]
		} else {
			v.Key = rest
		}
		out = append(out, v)
		i = q + 1
	}
	return out
}

// ConfigTransformer replaces ${provider:[path:]key} references in
// configuration values with what the named providers return (Kafka's
// ConfigTransformer): a reference to an unknown provider, or to a key the
// provider does not have, is left as it is; substituted text is not scanned
// again.
type ConfigTransformer struct {
	providers map[string]ConfigProvider
}

// NewConfigTransformer returns a transformer over named providers. A nil
// provider counts as unknown.
func NewConfigTransformer(providers map[string]ConfigProvider) *ConfigTransformer {
	return &ConfigTransformer{providers: providers}
}

// Transform returns a copy of configs with the references resolved. Each
// provider is asked once per path for every key referenced with it. A
// provider's error aborts the transformation; it names the provider and the
// path, never a value.
func (t *ConfigTransformer) Transform(configs map[string]string) (map[string]string, error) {
	wanted := map[string]map[string]map[string]bool{} // provider → path → keys
	for _, v := range configs {
		for _, ref := range FindConfigVariables(v) {
			byPath := wanted[ref.Provider]
			if byPath == nil {
				byPath = map[string]map[string]bool{}
				wanted[ref.Provider] = byPath
			}
			if byPath[ref.Path] == nil {
				byPath[ref.Path] = map[string]bool{}
			}
			byPath[ref.Path][ref.Key] = true
		}
	}
	found := map[string]map[string]map[string]string{}
	for _, name := range provSortedKeys(wanted) {
		prov := t.providers[name]
		if prov == nil {
			continue
		}
		found[name] = map[string]map[string]string{}
		for _, path := range provSortedKeys(wanted[name]) {
			keys := provSortedKeys(wanted[name][path])
			data, err := prov.Get(path, keys)
			if err != nil {
				return nil, fmt.Errorf("config provider %q, path %q: %w", name, path, err)
			}
			if data == nil {
				data = map[string]string{}
			}
			found[name][path] = data
		}
	}
	out := make(map[string]string, len(configs))
	for k, v := range configs {
		out[k] = provReplace(v, found)
	}
	return out, nil
}

func provReplace(v string, found map[string]map[string]map[string]string) string {
	refs := FindConfigVariables(v)
	if len(refs) == 0 {
		return v
	}
	var b strings.Builder
	i := 0
	for _, ref := range refs {
		byPath, ok := found[ref.Provider]
		if !ok {
			continue
		}
		b.WriteString(v[i:ref.Start])
		if rep, ok := byPath[ref.Path][ref.Key]; ok {
			b.WriteString(rep)
		} else {
			b.WriteString(v[ref.Start:ref.End])
		}
		i = ref.End
	}
	b.WriteString(v[i:])
	return b.String()
}

func provSortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ---------------------------------------------------------------------------
// Declaring providers

// NewConfigProviders instantiates and configures the providers a worker
// configuration declares, as the Connect worker does for connector
// configurations: config.providers is a LIST (trimmed items); each name's
// class comes from config.providers.<name>.class (full class name or unique
// alias, resolved in reg; a name without it maps to nil and so stays
// unresolved); its parameters are the keys config.providers.<name>.param.*.
// On error the providers already created are closed.
func NewConfigProviders(workerProps map[string]string, reg *sluice.Registry) (map[string]ConfigProvider, error) {
	raw, ok := workerProps[ConfigProvidersConfig]
	if !ok {
		return map[string]ConfigProvider{}, nil
	}
	names := sluice.SplitList(raw)
	out := make(map[string]ConfigProvider, len(names))
	for _, name := range names {
		prefix := ConfigProvidersConfig + "." + name
		class, ok := workerProps[prefix+provClassSuffix]
		if !ok {
			out[name] = nil
			continue
		}
		class = sluice.JavaTrim(class)
		p, _, err := reg.Lookup(class)
		if err != nil || p.Kinds&sluice.KindConfigProvider == 0 || p.New == nil {
			CloseConfigProviders(out)
			return nil, &sluice.JavaError{Class: "ConnectException", Msg: fmt.Sprintf(
				"Failed to find any class that implements ConfigProvider and which name matches %s, available ConfigProviders are: %s",
				class, provAvailable(reg))}
		}
		prov, err := provInstantiate(p, sluice.WithPrefix(workerProps, prefix+provParamInfix))
		if err != nil {
			CloseConfigProviders(out)
			return nil, fmt.Errorf("configuring config provider %q: %w", name, err)
		}
		out[name] = prov
	}
	return out, nil
}

func provInstantiate(p *sluice.Plugin, params map[string]string) (ConfigProvider, error) {
	prov, ok := p.New().(ConfigProvider)
	if !ok {
		return nil, &sluice.JavaError{Class: "ConnectException", Msg: "class " + p.Class + " is not a ConfigProvider"}
	}
	if err := prov.Configure(params); err != nil {
		_ = prov.Close()
		return nil, err
	}
	return prov, nil
}

func provAvailable(reg *sluice.Registry) string {
	var names []string
	for _, p := range reg.All() {
		if p.Kinds&sluice.KindConfigProvider != 0 && !p.Abstract {
			names = append(names, p.Class)
		}
	}
	return strings.Join(names, ", ")
}

// CloseConfigProviders closes every provider of the map.
func CloseConfigProviders(providers map[string]ConfigProvider) {
	for _, p := range providers {
		if p != nil {
			_ = p.Close()
		}
	}
}

// ResolveWorkerConfig resolves references in a worker configuration with
// the providers declared in the same configuration, the way Kafka's
// AbstractConfig does when the worker starts: the config.providers value is
// split on ',' without trimming (so "file, env" declares " env", which has no
// class key and is skipped), a class must be given by its full name, and the
// providers are closed afterwards.
func ResolveWorkerConfig(props map[string]string, reg *sluice.Registry) (map[string]string, error) {
	raw := props[ConfigProvidersConfig]
	if raw == "" {
		return props, nil
	}
	providers := map[string]ConfigProvider{}
	defer CloseConfigProviders(providers)
	for _, name := range provJavaSplit(raw, ',') {
		classKey := ConfigProvidersConfig + "." + name + provClassSuffix
		class, ok := props[classKey]
		if !ok {
			continue
		}
		p, resolved, err := reg.Lookup(class)
		if err != nil || resolved != class || p.Kinds&sluice.KindConfigProvider == 0 || p.New == nil {
			return nil, &sluice.ConfigError{Name: classKey, Value: class,
				Msg: "Could not load config provider class or one of its dependencies"}
		}
		prefix := ConfigProvidersConfig + "." + name + provParamInfix
		prov, err := provInstantiate(p, sluice.WithPrefix(props, prefix))
		if err != nil {
			return nil, fmt.Errorf("configuring config provider %q: %w", name, err)
		}
		providers[name] = prov
	}
	if len(providers) == 0 {
		return props, nil
	}
	return NewConfigTransformer(providers).Transform(props)
}

// provJavaSplit is Java's String.split with a one-character literal:
// trailing empty strings are dropped.
func provJavaSplit(s string, sep byte) []string {
	parts := strings.Split(s, string(sep))
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// ---------------------------------------------------------------------------
// allowed.paths

// provAllowedPaths is the allowed.paths parameter of the file and directory
// providers; nil allows everything.
type provAllowedPaths []string

// provNormalize is java.nio Path.normalize on a Unix path string.
func provNormalize(p string) string {
	if p == "" {
		return ""
	}
	c := filepath.Clean(p)
	if c == "." {
		return ""
	}
	return c
}

// provParsePath is Paths.get on a Unix path string: redundant and trailing
// slashes removed, nothing else changed.
func provParsePath(p string) (string, error) {
	if strings.IndexByte(p, 0) >= 0 {
		return "", &sluice.JavaError{Class: "InvalidPathException", Msg: "Nul character not allowed: " + strings.ReplaceAll(p, "\x00", "\\0")}
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '/' && i > 0 && p[i-1] == '/' {
			continue
		}
		b.WriteByte(p[i])
	}
	out := b.String()
	if len(out) > 1 && strings.HasSuffix(out, "/") {
		out = out[:len(out)-1]
	}
	return out, nil
}

func provNewAllowedPaths(params map[string]string) (provAllowedPaths, error) {
	v := params[provAllowedPathsConfig]
	if v == "" {
		return nil, nil
	}
	var out provAllowedPaths
	for _, entry := range provJavaSplit(v, ',') {
		parsed, err := provParsePath(entry)
		if err != nil {
			return nil, err
		}
		n := provNormalize(parsed)
		if !filepath.IsAbs(n) {
			return nil, sluice.NewConfigError("Path %s is not absolute", n)
		}
		if _, err := os.Stat(n); err != nil {
			return nil, sluice.NewConfigError("Path %s does not exist", n)
		}
		out = append(out, n)
	}
	return out, nil
}

// parseUntrusted returns the path to open, or "" when it lies outside the
// allowed paths (compared component by component after normalisation).
func (a provAllowedPaths) parseUntrusted(path string) (string, error) {
	parsed, err := provParsePath(path)
	if err != nil {
		return "", err
	}
	if a == nil {
		return parsed, nil
	}
	n := provNormalize(parsed)
	for _, allowed := range a {
		if n == allowed || allowed == "/" && strings.HasPrefix(n, "/") || strings.HasPrefix(n, allowed+"/") {
			return n, nil
		}
	}
	return "", nil
}

// ---------------------------------------------------------------------------
// FileConfigProvider

// FileConfigProvider reads values from Java properties files, which it
// decodes as UTF-8 (Kafka's FileConfigProvider).
type FileConfigProvider struct {
	allowed    provAllowedPaths
	configured bool
}

// Configure implements ConfigProvider.
func (p *FileConfigProvider) Configure(params map[string]string) error {
	a, err := provNewAllowedPaths(params)
	if err != nil {
		return err
	}
	p.allowed, p.configured = a, true
	return nil
}

// Get implements ConfigProvider: the keys' values in the properties file at
// path. An empty or disallowed path yields no data.
func (p *FileConfigProvider) Get(path string, keys []string) (map[string]string, error) {
	if !p.configured {
		return nil, sluice.NewJavaError("IllegalStateException", "The provider has not been configured yet.")
	}
	data := map[string]string{}
	if path == "" {
		return data, nil
	}
	file, err := p.allowed.parseUntrusted(path)
	if err != nil {
		return nil, err
	}
	if file == "" {
		slog.Warn("config provider path is not allowed", "provider", "file", "path", path)
		return data, nil
	}
	raw, err := os.ReadFile(file)
	if err != nil || !utf8.Valid(raw) {
		return nil, &sluice.ConfigError{Msg: "Could not read properties from file " + path, Err: err}
	}
	props, err := ParsePropertiesText(string(raw))
	if err != nil {
		if pe, ok := err.(*PropertiesError); ok {
			pe.Source = path
		}
		return nil, err
	}
	for _, k := range keys {
		if v, ok := props.Get(k); ok {
			data[k] = v
		}
	}
	return data, nil
}

// Close implements ConfigProvider.
func (p *FileConfigProvider) Close() error { return nil }

// ---------------------------------------------------------------------------
// EnvVarConfigProvider

// EnvVarConfigProvider reads environment variables (Kafka's
// EnvVarConfigProvider). The environment is captured when the provider is
// created.
type EnvVarConfigProvider struct {
	env      map[string]string
	filtered map[string]string
}

// NewEnvVarConfigProvider returns a provider over env, or over the process
// environment when env is nil.
func NewEnvVarConfigProvider(env map[string]string) *EnvVarConfigProvider {
	if env == nil {
		env = map[string]string{}
		for _, kv := range os.Environ() {
			if k, v, ok := strings.Cut(kv, "="); ok {
				env[k] = v
			}
		}
	}
	return &EnvVarConfigProvider{env: env}
}

// Configure implements ConfigProvider: allowlist.pattern (a Java regex
// matched against whole variable names, default .*) limits what is readable.
func (p *EnvVarConfigProvider) Configure(params map[string]string) error {
	pattern, ok := params[provAllowlistConfig]
	if !ok {
		pattern = ".*"
	}
	re, err := jregex.Compile(pattern)
	if err != nil {
		return fmt.Errorf("compiling %s: %w", provAllowlistConfig, err)
	}
	p.filtered = make(map[string]string, len(p.env))
	for k, v := range p.env {
		if re.Matches(k) {
			p.filtered[k] = v
		}
	}
	return nil
}

// Get implements ConfigProvider: the requested variables that exist and are
// allowed. A non-empty path is an error.
func (p *EnvVarConfigProvider) Get(path string, keys []string) (map[string]string, error) {
	if path != "" {
		return nil, sluice.NewConfigError("Path is not supported for EnvVarConfigProvider, invalid value '%s'", path)
	}
	data := map[string]string{}
	for _, k := range keys {
		if v, ok := p.filtered[k]; ok {
			data[k] = v
		}
	}
	return data, nil
}

// Close implements ConfigProvider.
func (p *EnvVarConfigProvider) Close() error { return nil }

// ---------------------------------------------------------------------------
// DirectoryConfigProvider

// DirectoryConfigProvider reads whole files from a directory (Kafka's
// DirectoryConfigProvider): the key is a file name, the value the file's
// content decoded as UTF-8 (malformed bytes become U+FFFD), not trimmed.
type DirectoryConfigProvider struct {
	allowed    provAllowedPaths
	configured bool
}

// Configure implements ConfigProvider.
func (p *DirectoryConfigProvider) Configure(params map[string]string) error {
	a, err := provNewAllowedPaths(params)
	if err != nil {
		return err
	}
	p.allowed, p.configured = a, true
	return nil
}

// Get implements ConfigProvider: the contents of the regular files (symbolic
// links followed) directly in the directory path whose names are in keys.
func (p *DirectoryConfigProvider) Get(path string, keys []string) (map[string]string, error) {
	if !p.configured {
		return nil, sluice.NewJavaError("IllegalStateException", "The provider has not been configured yet.")
	}
	data := map[string]string{}
	if path == "" {
		return data, nil
	}
	dir, err := p.allowed.parseUntrusted(path)
	if err != nil {
		return nil, err
	}
	if dir == "" {
		slog.Warn("config provider path is not allowed", "provider", "directory", "path", path)
		return data, nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		slog.Warn("config provider path is not a directory", "provider", "directory", "path", path)
		return data, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &sluice.ConfigError{Msg: "Could not list directory " + dir, Err: err}
	}
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	for _, e := range entries {
		name := e.Name()
		if !want[name] {
			continue
		}
		file := filepath.Join(dir, name)
		st, err := os.Stat(file)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, &sluice.ConfigError{Msg: "Could not read file " + file + " for property " + name, Err: err}
		}
		data[name] = provDecodeUTF8(raw)
	}
	return data, nil
}

// Close implements ConfigProvider.
func (p *DirectoryConfigProvider) Close() error { return nil }

// provDecodeUTF8 decodes like Java's new String(bytes, UTF_8): each maximal
// ill-formed subsequence becomes one U+FFFD.
func provDecodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || n > 1 {
			sb.WriteRune(r)
			i += n
			continue
		}
		sb.WriteRune(utf8.RuneError)
		i += provMaximalSubpart(b[i:])
	}
	return sb.String()
}

// provMaximalSubpart returns the length of the ill-formed sequence at the
// start of b: the lead byte plus the continuation bytes that could still
// have completed a valid sequence.
func provMaximalSubpart(b []byte) int {
	c := b[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF)
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c == 0xED:
		need, hi = 2, 0x9F
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c == 0xF4:
		need, hi = 3, 0x8F
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	default:
		return 1
	}
	n := 1
	for k := 0; k < need && n < len(b); k++ {
		x := b[n]
		if k == 0 && (x < lo || x > hi) || k > 0 && (x < 0x80 || x > 0xBF) {
			break
		}
		n++
	}
	return n
}
