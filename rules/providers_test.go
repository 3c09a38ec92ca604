package rules

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sluice.io/sluice"
)

func TestFindConfigVariables(t *testing.T) {
	cases := []struct {
		in   string
		want []ConfigVariable
	}{
		{"${file:/p:k}", []ConfigVariable{{"file", "/p", "k", 0, 12}}},
		{"x${env:V}y", []ConfigVariable{{"env", "", "V", 1, 9}}},
		{"${env::V}", []ConfigVariable{{"env", "", "V", 0, 9}}},
		{"${file:/p:a:b}", []ConfigVariable{{"file", "/p", "a:b", 0, 14}}},
		{"${file:C:\\x:k}", []ConfigVariable{{"file", "C", "\\x:k", 0, 14}}},
		{"${topic}", nil},
		{"${a}${b:c}", []ConfigVariable{{"b", "", "c", 4, 10}}},
		{"${a${b:c}", []ConfigVariable{{"a${b", "", "c", 0, 9}}},
		{"${x:y", nil},
		{"${:}", []ConfigVariable{{"", "", "", 0, 4}}},
		{"${a:b}}${c:d:e}", []ConfigVariable{{"a", "", "b", 0, 6}, {"c", "d", "e", 7, 15}}},
	}
	for _, c := range cases {
		if got := FindConfigVariables(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %+v, want %+v", c.in, got, c.want)
		}
	}
}

type provCounting struct {
	data  map[string]map[string]string
	calls []string
}

func (p *provCounting) Configure(map[string]string) error { return nil }
func (p *provCounting) Close() error                      { return nil }
func (p *provCounting) Get(path string, keys []string) (map[string]string, error) {
	p.calls = append(p.calls, path+"|"+strings.Join(keys, ","))
	out := map[string]string{}
	for _, k := range keys {
		if v, ok := p.data[path][k]; ok {
			out[k] = v
		}
	}
	return out, nil
}

func TestConfigTransformer(t *testing.T) {
	prov := &provCounting{data: map[string]map[string]string{
		"/a": {"x": "X", "loop": "${t:/a:x}"},
		"":   {"y": "Y"},
	}}
	tr := NewConfigTransformer(map[string]ConfigProvider{"t": prov, "declared": nil})
	got, err := tr.Transform(map[string]string{
		"k1": "pre ${t:/a:x} mid ${t:y} post",
		"k2": "${t:/a:missing}",
		"k3": "${unknown:/a:x}${declared:x}",
		"k4": "${t:/a:loop}",
		"k5": "${t:/a:x}${t:/a:x}",
		"k6": "plain ${topic}",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"k1": "pre X mid Y post",
		"k2": "${t:/a:missing}",
		"k3": "${unknown:/a:x}${declared:x}",
		"k4": "${t:/a:x}", // no recursion
		"k5": "XX",
		"k6": "plain ${topic}",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q", got)
	}
	if !reflect.DeepEqual(prov.calls, []string{"|y", "/a|loop,missing,x"}) {
		t.Fatalf("calls %q", prov.calls)
	}
}

func provNew(t *testing.T, class string, params map[string]string) ConfigProvider {
	t.Helper()
	p, _, err := sluice.Plugins.Lookup(class)
	if err != nil {
		t.Fatal(err)
	}
	if p.Kinds&sluice.KindConfigProvider == 0 {
		t.Fatalf("%s is not a config provider", class)
	}
	prov := p.New().(ConfigProvider)
	if err := prov.Configure(params); err != nil {
		t.Fatal(err)
	}
	return prov
}

func TestFileConfigProvider(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "secrets.properties")
	if err := os.WriteFile(file, []byte("db.password = s3cr\u00e9t\nuser:admin\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	prov := provNew(t, FileConfigProviderClass, nil)
	got, err := prov.Get(file, []string{"db.password", "user", "absent"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, map[string]string{"db.password": "s3crét", "user": "admin"}) {
		t.Fatalf("got %q", got)
	}
	if got, _ := prov.Get("", []string{"x"}); len(got) != 0 {
		t.Fatal("empty path returned data")
	}
	_, err = prov.Get(filepath.Join(dir, "nope"), []string{"x"})
	if err == nil || err.Error() != "Could not read properties from file "+filepath.Join(dir, "nope") || sluice.ErrorClass(err) != "ConfigException" {
		t.Fatalf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.properties")
	if err := os.WriteFile(bad, []byte("k=\xff"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := prov.Get(bad, []string{"k"}); err == nil || sluice.ErrorClass(err) != "ConfigException" {
		t.Fatalf("invalid UTF-8: %v", err)
	}

	// allowed.paths
	other := t.TempDir()
	restricted := provNew(t, "FileConfigProvider", map[string]string{"allowed.paths": other + "," + dir + "/sub/.."})
	if got, err := restricted.Get(file, []string{"user"}); err != nil || got["user"] != "admin" {
		t.Fatalf("allowed: %q %v", got, err)
	}
	if got, err := restricted.Get("/etc/passwd", []string{"root"}); err != nil || len(got) != 0 {
		t.Fatalf("outside allowed paths: %q %v", got, err)
	}
	if got, err := restricted.Get(dir+"/../"+filepath.Base(dir)+"x/f", []string{"k"}); err != nil || len(got) != 0 {
		t.Fatalf("prefix that is not a path component: %q %v", got, err)
	}
	for params, msg := range map[string]string{
		"relative":          "Path relative is not absolute",
		dir + "/missing/..": "",
		dir + "/missing":    "Path " + dir + "/missing does not exist",
		"":                  "",
	} {
		p := &FileConfigProvider{}
		err := p.Configure(map[string]string{"allowed.paths": params})
		if msg == "" {
			if err != nil {
				t.Errorf("%q: %v", params, err)
			}
			continue
		}
		if err == nil || err.Error() != msg {
			t.Errorf("%q: got %v, want %q", params, err, msg)
		}
	}
	if _, err := (&FileConfigProvider{}).Get(file, nil); err == nil {
		t.Fatal("unconfigured provider worked")
	}
}

func TestEnvVarConfigProvider(t *testing.T) {
	t.Setenv("SLUICE_TEST_SECRET", "hunter2")
	t.Setenv("OTHER_VAR", "x")
	prov := provNew(t, "EnvVar", nil)
	got, err := prov.Get("", []string{"SLUICE_TEST_SECRET", "SLUICE_TEST_ABSENT"})
	if err != nil || !reflect.DeepEqual(got, map[string]string{"SLUICE_TEST_SECRET": "hunter2"}) {
		t.Fatalf("got %q %v", got, err)
	}
	_, err = prov.Get("/p", []string{"X"})
	if err == nil || err.Error() != "Path is not supported for EnvVarConfigProvider, invalid value '/p'" {
		t.Fatalf("path: %v", err)
	}
	limited := provNew(t, EnvVarConfigProviderClass, map[string]string{"allowlist.pattern": "SLUICE_.*"})
	got, _ = limited.Get("", []string{"SLUICE_TEST_SECRET", "OTHER_VAR"})
	if !reflect.DeepEqual(got, map[string]string{"SLUICE_TEST_SECRET": "hunter2"}) {
		t.Fatalf("allowlist: %q", got)
	}
	partial := provNew(t, EnvVarConfigProviderClass, map[string]string{"allowlist.pattern": "SLUICE"})
	if got, _ := partial.Get("", []string{"SLUICE_TEST_SECRET"}); len(got) != 0 {
		t.Fatal("allowlist must match the whole name")
	}
	if err := NewEnvVarConfigProvider(nil).Configure(map[string]string{"allowlist.pattern": "("}); err == nil {
		t.Fatal("bad pattern accepted")
	}
	// the environment is captured at creation
	p := NewEnvVarConfigProvider(nil)
	t.Setenv("SLUICE_TEST_LATE", "1")
	_ = p.Configure(nil)
	if got, _ := p.Get("", []string{"SLUICE_TEST_LATE"}); len(got) != 0 {
		t.Fatal("variable set after creation is visible")
	}
}

func TestDirectoryConfigProvider(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("db-password", "s3cret\n")
	write("bad-utf8", "a\xe2\x82b\xffc")
	if err := os.Mkdir(filepath.Join(dir, "subdir"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "db-password"), filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	prov := provNew(t, "Directory", nil)
	got, err := prov.Get(dir, []string{"db-password", "subdir", "link", "bad-utf8", "missing", "../x"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"db-password": "s3cret\n", "link": "s3cret\n", "bad-utf8": "a\uFFFDb\uFFFDc"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q", got)
	}
	if got, err := prov.Get(filepath.Join(dir, "db-password"), []string{"x"}); err != nil || len(got) != 0 {
		t.Fatalf("not a directory: %q %v", got, err)
	}
	restricted := provNew(t, DirectoryConfigProviderClass, map[string]string{"allowed.paths": t.TempDir()})
	if got, err := restricted.Get(dir, []string{"db-password"}); err != nil || len(got) != 0 {
		t.Fatalf("outside allowed paths: %q %v", got, err)
	}
}

func TestProvDecodeUTF8(t *testing.T) {
	cases := map[string]string{
		"ok é":             "ok é",
		"\xe2\x82A":        "\uFFFDA",
		"\xe0\x80A":        "\uFFFD\uFFFDA",
		"\xed\xa0\x80":     "\uFFFD\uFFFD\uFFFD",
		"\xf0\x9f\x98":     "\uFFFD",
		"\xf4\x90\x80\x80": "\uFFFD\uFFFD\uFFFD\uFFFD",
		"\xc0\xaf":         "\uFFFD\uFFFD",
	}
	for in, want := range cases {
		if got := provDecodeUTF8([]byte(in)); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestNewConfigProvidersAndResolve(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "app.properties")
	if err := os.WriteFile(file, []byte("password=topsecret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SLUICE_TEST_TOKEN", "tok")
	worker := map[string]string{
		"config.providers":                             " file , env ,dir,nameless",
		"config.providers.file.class":                  "FileConfigProvider",
		"config.providers.env.class":                   EnvVarConfigProviderClass,
		"config.providers.env.param.allowlist.pattern": "SLUICE_.*",
		"config.providers.dir.class":                   "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
		"config.providers.dir.param.allowed.paths":     dir,
	}
	provs, err := NewConfigProviders(worker, sluice.Plugins)
	if err != nil {
		t.Fatal(err)
	}
	defer CloseConfigProviders(provs)
	if len(provs) != 4 || provs["nameless"] != nil || provs["file"] == nil {
		t.Fatalf("providers %v", provs)
	}
	got, err := NewConfigTransformer(provs).Transform(map[string]string{
		"a": "${file:" + file + ":password}",
		"b": "${env:SLUICE_TEST_TOKEN}",
		"c": "${dir:" + dir + ":app.properties}",
		"d": "${nameless:x}",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got["a"] != "topsecret" || got["b"] != "tok" || got["c"] != "password=topsecret\n" || got["d"] != "${nameless:x}" {
		t.Fatalf("got %q", got)
	}

	_, err = NewConfigProviders(map[string]string{"config.providers": "x", "config.providers.x.class": "NoSuchProvider"}, sluice.Plugins)
	if err == nil || !strings.HasPrefix(err.Error(), "Failed to find any class that implements ConfigProvider and which name matches NoSuchProvider, available ConfigProviders are: ") {
		t.Fatalf("unknown class: %v", err)
	}
	if !strings.Contains(err.Error(), FileConfigProviderClass) {
		t.Fatalf("available list: %v", err)
	}

	// worker self-resolution: no trimming of names, full class names only
	self := map[string]string{
		"config.providers":            "file, env",
		"config.providers.file.class": FileConfigProviderClass,
		"config.providers.env.class":  EnvVarConfigProviderClass,
		"secret":                      "${file:" + file + ":password}",
		"token":                       "${env:SLUICE_TEST_TOKEN}",
	}
	res, err := ResolveWorkerConfig(self, sluice.Plugins)
	if err != nil {
		t.Fatal(err)
	}
	if res["secret"] != "topsecret" || res["token"] != "${env:SLUICE_TEST_TOKEN}" {
		t.Fatalf("resolved %q", res)
	}
	_, err = ResolveWorkerConfig(map[string]string{"config.providers": "f", "config.providers.f.class": "FileConfigProvider"}, sluice.Plugins)
	var ce *sluice.ConfigError
	if !errors.As(err, &ce) || err.Error() != "Invalid value FileConfigProvider for configuration config.providers.f.class: Could not load config provider class or one of its dependencies" {
		t.Fatalf("alias at worker level: %v", err)
	}
}

func TestProviderErrorsHideSecrets(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.properties")
	if err := os.WriteFile(file, []byte("pw=hunter2\nbad=\\u12"), 0o600); err != nil {
		t.Fatal(err)
	}
	prov := provNew(t, FileConfigProviderClass, nil)
	_, err := NewConfigTransformer(map[string]ConfigProvider{"file": prov}).Transform(map[string]string{"a": "${file:" + file + ":pw}"})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error %v", err)
	}
	env := NewEnvVarConfigProvider(map[string]string{"PW": "hunter2"})
	_ = env.Configure(nil)
	_, err = NewConfigTransformer(map[string]ConfigProvider{"env": env}).Transform(map[string]string{"a": "${env:path:PW}"})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error %v", err)
	}
}

func BenchmarkConfigTransformer(b *testing.B) {
	env := NewEnvVarConfigProvider(map[string]string{"A": "1", "B": "2"})
	_ = env.Configure(nil)
	tr := NewConfigTransformer(map[string]ConfigProvider{"env": env})
	cfg := map[string]string{"x": "${env:A}-${env:B}", "y": "plain", "z": "${topic}"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Transform(cfg); err != nil {
			b.Fatal(err)
		}
	}
}
