package siem

import "sluice.io/sluice"

// Package is the Java package of the SIEM transformation library.
const Package = "com.vrudenskyi.kafka.connect.transform."

// OldPackage is the package the library's classes had before it was renamed;
// configurations written for it keep working.
const OldPackage = "com.mckesson.kafka.connect.transform."

// registerTransform registers a transformation under Package + simple, with
// the OldPackage spelling as a further class name; unique simple-name
// aliases are computed by the registry as Connect's plugin scanner does.
func registerTransform(simple string, def *sluice.ConfigDef, doc string, newFn func() any) {
	sluice.Register(&sluice.Plugin{
		Class:      Package + simple,
		OldClasses: []string{OldPackage + simple},
		Kinds:      sluice.KindTransformation,
		Config:     def,
		Doc:        doc,
		New:        newFn,
	})
}

// registerAbstract registers an abstract base class, which a configuration
// may name but which cannot be instantiated.
func registerAbstract(simple, doc string) {
	sluice.Register(&sluice.Plugin{Class: Package + simple, Kinds: sluice.KindTransformation, Doc: doc,
		Abstract: true})
}

// registerHelper registers a helper class of the library that is not a
// transformation, so naming it as one fails like it does in Connect.
func registerHelper(simple, doc string) {
	sluice.Register(&sluice.Plugin{Class: Package + simple, Doc: doc})
}

func init() {
	registerAbstract("AppyToTransformer", "Base of the transformations configured with applyTo, applyToValue and applyToField.")
	registerAbstract("StructuredRecordTransform", "Base of ExtractField and RemoveField: dispatch on the value type.")
	registerHelper("IfRegex", "A condition: if, if_mode, if_data.")
	registerHelper("RegexMatchReplace", "One conditional find/replace rule of RegexRules.")
	registerHelper("RegexRulesTextReplacer", "The rule list of RegexRules.")
}
